import ArgumentParser
import WeftCore
import WeftServer
import WeftSync

/// `weft config show|server`: read and change the node's config.json.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Show or change the node's configuration (config.json in the home).",
        subcommands: [ConfigShowCommand.self, ConfigServerCommand.self])
}

struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print config.json.")

    @OptionGroup var home: HomeOptions

    func run() throws {
        try runReporting { print(try CanonicalJSON.string(try NodeHome.open(home).config.json)) }
    }
}

struct ConfigServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Set the server section: listen address, TLS files, pull and notify behaviour.",
        discussion: """
            Options not given keep their current value (or the default, docs/operations.md). The TLS files are \
            checked now: the certificate and key must load and belong together, and the trust roots must parse. \
            Paths relative to the home stay relative.
            """)

    @OptionGroup var home: HomeOptions

    @Option(help: "Sync server address, host:port (port 0: any free port).") var listen: String?
    @Option(help: "The URL peers reach this node at (written on its card).") var publicURL: String?
    @Option(help: "PEM certificate chain of this node.") var cert: String?
    @Option(help: "PEM private key of the certificate.") var key: String?
    @Option(help: "PEM CA certificate peers must chain to (repeat for several; replaces the list).") var ca: [String] =
        []
    @Option(help: "Plain-HTTP /health and /metrics listener, host:port; 'none' to disable.") var opsListen: String?
    @Option(help: "Seconds between pull rounds with each peer.") var pollInterval: Int?
    @Option(help: "Send and honour notify messages: on or off.") var notify: OnOff?
    @Option(help: "Bundles per request and per apply transaction (1–1000).") var batchSize: Int?
    @Option(help: "Requests per second each peer may make, sustained.") var rateLimit: Int?
    @Option(help: "Requests each peer may make in a burst.") var rateBurst: Int?

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            var server = node.config.server ?? ServerConfiguration()
            if let listen { server.listen = listen }
            if let publicURL { server.publicURL = publicURL }
            if let cert { server.certificate = cert }
            if let key { server.privateKey = key }
            if !ca.isEmpty { server.trustRoots = ca }
            if let opsListen { server.opsListen = opsListen == "none" ? nil : opsListen }
            if let pollInterval { server.pollIntervalSeconds = pollInterval }
            if let notify { server.notify = notify == .on }
            if let batchSize { server.batchSize = batchSize }
            if let rateLimit { server.rateLimitPerSecond = rateLimit }
            if let rateBurst { server.rateLimitBurst = rateBurst }
            do { server = try ServerConfiguration(json: server.json) } catch {
                throw CLIFailure("\(error)", status: ExitStatus.usage)
            }
            let identity = try node.tlsIdentity(server)
            var config = node.config
            config.server = server
            try node.save(config)
            print("server section saved; this node's TLS pin is \(identity.pin.hex)")
        }
    }
}

/// `on` or `off`.
enum OnOff: String, ExpressibleByArgument, CaseIterable {
    case on, off
}
