import ArgumentParser
import Foundation
import Logging
import WeftServer

/// `weft serve`: run the node: the mutual-TLS sync server, the pull loop, and the operations listener.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the node: serve peers over mutual TLS, pull from them, expose /health and /metrics.",
        discussion: """
            Reads the server section of config.json (weft config server); flags override it for this run. \
            Prints one line per listener ("sync listening on https://HOST:PORT", "ops listening on \
            http://HOST:PORT") once it accepts connections. SIGTERM or SIGINT stops it gracefully: requests in \
            flight finish, pull rounds stop between batches, and the store is left consistent.
            """)

    @OptionGroup var home: HomeOptions
    @Option(help: "Sync server address for this run, host:port (0: any free port).") var listen: String?
    @Option(help: "Operations listener for this run, host:port, or 'none'.") var opsListen: String?
    @Option(help: "Seconds between pull rounds for this run.") var pollInterval: Int?
    @Option(help: "Notify on or off for this run.") var notify: OnOff?
    @Option(help: "Build the analyst merge at start (on) or at the first change to the view (off), for this run.")
    var analystWarmUp: OnOff?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    func run() async throws {
        try await runReporting {
            let node = try NodeHome.open(home)
            var server = try node.serverConfiguration()
            if let listen { server.listen = listen }
            if let opsListen { server.opsListen = opsListen == "none" ? nil : opsListen }
            if let pollInterval { server.pollIntervalSeconds = pollInterval }
            if let notify { server.notify = notify == .on }
            if let analystWarmUp { server.analystWarmUp = analystWarmUp == .on }
            do { server = try ServerConfiguration(json: server.json) } catch {
                throw CLIFailure("\(error)", status: ExitStatus.usage)
            }
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw CLIFailure("unknown log level '\(logLevel)'", status: ExitStatus.usage)
            }
            LoggingSystem.bootstrap(StreamLogHandler.standardError)
            var logger = Logger(label: "weft.serve")
            logger.logLevel = level
            let identity = try node.tlsIdentity(server)
            let store = try node.store(logLevel: level)
            let nodeServer = NodeServer(store: store, identity: identity, configuration: server, logger: logger)
            do {
                try await serve(nodeServer)
            } catch {
                throw CLIFailure(
                    "serving (sync on \(server.listen), ops on \(server.opsListen ?? "none")) failed: \(error)")
            }
        }
    }

    private func serve(_ nodeServer: NodeServer) async throws {
        try await nodeServer.run { listening in
            switch listening {
            case .sync(let host, let port): announce("sync listening on https://\(host):\(port)")
            case .ops(let host, let port): announce("ops listening on http://\(host):\(port)")
            }
        }
    }
}

/// Writes a line to standard output at once (scripts wait for these lines; stdout may be a pipe).
private func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
