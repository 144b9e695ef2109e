import ArgumentParser
import Foundation
import Logging
import WeftCore
import WeftServer
import WeftStore
import WeftSync

/// Options every command that works on a node takes.
struct HomeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The node home directory (default: $WEFT_HOME, else ~/.weft).", valueName: "dir"))
    var home: String?

    /// The home directory chosen by flag, environment or default.
    var path: String {
        if let home { return home }
        if let environment = ProcessInfo.processInfo.environment["WEFT_HOME"], !environment.isEmpty {
            return environment
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".weft").path
    }
}

/// Options for commands that can print JSON.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

/// A node's home directory: `config.json`, the origin key `origin.key` (mode 0600) and the store `weft.sqlite`.
struct NodeHome {
    let path: String
    let config: NodeConfig

    static let configFile = "config.json"

    var keyPath: String { (path as NSString).appendingPathComponent(config.originKeyFile) }
    var databasePath: String { (path as NSString).appendingPathComponent(config.databaseFile) }

    /// Opens an initialised home.
    static func open(_ options: HomeOptions) throws -> NodeHome {
        let path = options.path
        let configPath = (path as NSString).appendingPathComponent(configFile)
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw CLIFailure(
                "no node home at \(path) (create one with: weft init --home \(path) --name NAME)",
                status: ExitStatus.noHome)
        }
        let config: NodeConfig
        do { config = try NodeConfig(json: try JSONParser.parse(Array(data))) } catch {
            throw CLIFailure("\(configPath): \(error)", status: ExitStatus.dataError)
        }
        return NodeHome(path: path, config: config)
    }

    /// Reads the origin key, mapping permission problems to exit 77.
    func originKey() throws -> OriginKey {
        do { return try OriginKey.read(from: keyPath) } catch {
            throw CLIFailure(
                error.description, status: error.reason.contains("chmod") ? ExitStatus.permission : ExitStatus.failure)
        }
    }

    /// A path from the configuration: absolute as given, else relative to the home.
    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (self.path as NSString).appendingPathComponent(path)
    }

    /// The server section, or a usage error saying how to create it.
    func serverConfiguration() throws -> ServerConfiguration {
        guard let server = config.server else {
            throw CLIFailure(
                "no server section in \(path)/config.json (set one with: weft config server --cert … --key … --ca …)",
                status: ExitStatus.usage)
        }
        return server
    }

    /// Loads the TLS certificate, key and trust roots named by the server section.
    func tlsIdentity(_ server: ServerConfiguration) throws -> TLSIdentity {
        do {
            return try TLSIdentity(
                certificateFile: resolve(server.certificate), keyFile: resolve(server.privateKey),
                trustRootFiles: server.trustRoots.map(resolve))
        } catch let error as SyncError {
            throw CLIFailure(error.description, status: ExitStatus.dataError)
        }
    }

    /// Rewrites config.json (atomically).
    func save(_ config: NodeConfig) throws {
        let configPath = (path as NSString).appendingPathComponent(Self.configFile)
        let bytes = try CanonicalJSON.encode(config.json) + [0x0A]
        guard FileManager.default.createFile(atPath: configPath + ".new", contents: Data(bytes)) else {
            throw CLIFailure("cannot write \(configPath)")
        }
        // rename(2) replaces atomically; Foundation's replaceItemAt on Linux removed the original when it failed.
        guard rename(configPath + ".new", configPath) == 0 else {
            throw CLIFailure("cannot replace \(configPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Opens the store.
    func store(logLevel: Logger.Level? = nil) throws -> NodeStore {
        let node = try OriginID(hex: config.origin)
        var logger = Logger(label: "weft")
        logger.logLevel =
            logLevel ?? ProcessInfo.processInfo.environment["WEFT_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return try NodeStore(path: databasePath, node: node, logger: logger)
    }
}

/// The node configuration file. Every option is documented in docs/cli.md.
struct NodeConfig {
    /// The node's name, as it introduces itself on peer cards.
    var name: String
    /// The node's origin id (checked against the key at start).
    var origin: String
    /// The key file, relative to the home.
    var originKeyFile = "origin.key"
    /// The database file, relative to the home.
    var databaseFile = "weft.sqlite"
    /// How `weft serve` listens and syncs (docs/operations.md); nil until `weft config server` sets it.
    var server: ServerConfiguration?

    init(name: String, origin: String) {
        self.name = name
        self.origin = origin
    }

    init(json: JSONValue) throws {
        var reader = try FieldReader(json, record: "config")
        name = try reader.string("name")
        origin = try reader.string("origin")
        originKeyFile = try reader.optionalString("origin_key_file") ?? originKeyFile
        databaseFile = try reader.optionalString("database_file") ?? databaseFile
        _ = try reader.optionalInteger("version", in: 1...1)
        if let section = reader.optional("server") { server = try ServerConfiguration(json: section) }
        try reader.finish()
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "version": 1, "name": .string(name), "origin": .string(origin),
            "origin_key_file": .string(originKeyFile), "database_file": .string(databaseFile),
        ]
        if let server { object["server"] = server.json }
        return .object(object)
    }
}

extension NodeStore {
    /// The one origin matching a name, id or id prefix, or a usage error (exit 64).
    func requireOrigin(_ text: String) throws -> OriginRecord {
        guard let record = try origin(matching: text) else {
            throw CLIFailure("no single known origin matches '\(text)'", status: ExitStatus.usage)
        }
        return record
    }
}
