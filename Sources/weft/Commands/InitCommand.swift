import ArgumentParser
import Foundation
import WeftCore
import WeftStore

/// `weft init`: creates a node home.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node home: configuration, a new origin key (mode 0600) and an empty store.",
        discussion: "Refuses to touch a directory that already holds a node (exit 73)."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "The node's name, as shown to peers (1–64 characters, no spaces).")
    var name: String

    func run() throws {
        try runReporting {
            let path = home.path
            let key = try NodeHome.create(at: path, name: name).originKey
            if output.json {
                try printJSON(["home": path, "name": name, "origin": key.originID.hex])
            } else {
                print("Created node '\(name)' at \(path)\norigin \(key.originID.hex)")
            }
        }
    }
}

extension NodeHome {
    /// Creates a node home at `path`: config.json, a new origin key (mode 0600) and a store that knows its own
    /// origin. Refuses a directory that already holds a node (exit 73).
    static func create(at path: String, name: String) throws -> (home: NodeHome, originKey: OriginKey) {
        let manager = FileManager.default
        let configPath = (path as NSString).appendingPathComponent(configFile)
        if manager.fileExists(atPath: configPath)
            || manager.fileExists(atPath: (path as NSString).appendingPathComponent("origin.key"))
        {
            throw CLIFailure("\(path) already holds a node; refusing to overwrite it", status: ExitStatus.homeExists)
        }
        try manager.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = OriginKey()
        let config = NodeConfig(name: name, origin: key.originID.hex)
        let home = NodeHome(path: path, config: config)
        do { try key.write(to: home.keyPath) } catch { throw CLIFailure(error.description) }
        let store = try home.store()
        do { _ = try store.addOrigin(name: name, publicKey: key.publicKey, isSelf: true) } catch let error
            as OriginError
        {
            throw CLIFailure(error.reason, status: ExitStatus.usage)
        }
        try Data(try CanonicalJSON.encode(config.json) + [UInt8(ascii: "\n")]).write(
            to: URL(fileURLWithPath: configPath))
        return (home, key)
    }
}
