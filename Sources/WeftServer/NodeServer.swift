import Dispatch
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import WeftStore
import WeftSync

/// A running node: the mutual-TLS sync server, the optional operations listener (health, metrics, the analyst
/// API and the dashboard), and the pull loop, run together under one `ServiceGroup` that shuts them down
/// gracefully on SIGTERM or SIGINT.
public struct NodeServer: Sendable {
    /// Where each listener ended up (ports chosen by the system when 0 was asked for).
    public enum Listening: Sendable {
        case sync(host: String, port: Int)
        case ops(host: String, port: Int)
    }

    let store: NodeStore
    let identity: TLSIdentity
    let configuration: ServerConfiguration
    let logger: Logger
    /// The metrics this server exposes.
    public let metrics = SyncMetrics()

    /// Creates a server.
    public init(store: NodeStore, identity: TLSIdentity, configuration: ServerConfiguration, logger: Logger) {
        self.store = store
        self.identity = identity
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until SIGTERM/SIGINT (or `group` is shut down by the caller). `onListening` reports each bound address.
    public func run(onListening: @escaping @Sendable (Listening) -> Void) async throws {
        let group = try makeServiceGroup(signals: [.sigterm, .sigint], onListening: onListening)
        try await group.run()
    }

    /// What to do with a handshake the TLS layer refused: count it, log it and audit it. Audit entries are written
    /// off the event loop and limited to a burst of 20 then one a second, so a flood of bad handshakes cannot fill
    /// the disk; the metric and the log line count every one. Made once per server, so all its connections share
    /// the limit.
    private func makeHandshakeRefusalHandler() -> @Sendable (String, String) -> Void {
        let limiter = RateLimiter(requestsPerSecond: 1, burst: 20)
        return { [store, metrics, logger] remote, detail in
            metrics.increment("weft_sync_refused_total", [("reason", "tls-handshake")])
            logger.warning("TLS handshake refused", metadata: ["remote": "\(remote)", "detail": "\(detail)"])
            guard limiter.allow("tls") else { return }
            DispatchQueue.global().async {
                do {
                    try store.auditRefusedCaller(subject: remote, reason: "tls-handshake", detail: detail)
                } catch {
                    logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Builds the service group; tests run it and call `triggerGracefulShutdown()`.
    public func makeServiceGroup(
        signals: [UnixSignal], onListening: @escaping @Sendable (Listening) -> Void
    ) throws -> ServiceGroup {
        var pullSettings = PullService.Settings()
        pullSettings.pollInterval = .seconds(configuration.pollIntervalSeconds)
        pullSettings.notify = configuration.notify
        let puller = PeerPuller(
            store: store, identity: identity, metrics: metrics, logger: logger, batchSize: configuration.batchSize,
            requestTimeout: .seconds(configuration.requestTimeoutSeconds))
        let pull = PullService(store: store, puller: puller, settings: pullSettings, metrics: metrics, logger: logger)

        let router = Router(context: SyncRequestContext.self)
        let gate = PeerGate(
            store: store,
            limiter: RateLimiter(
                requestsPerSecond: Double(configuration.rateLimitPerSecond), burst: configuration.rateLimitBurst),
            metrics: metrics, logger: logger)
        SyncRoutes(store: store, metrics: metrics, gate: gate) { peer, _ in pull.notified(by: peer) }
            .register(on: router)
        let listen = try ListenAddress(configuration.listen, field: "server.listen")
        let idle = TimeAmount.seconds(Int64(configuration.idleTimeoutSeconds))
        let handshakeRefused = makeHandshakeRefusalHandler()
        let syncApp = Application(
            router: router,
            server: HTTPServerBuilder { [identity] responder in
                try AuditedTLSChannel(
                    HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle)),
                    tlsConfiguration: identity.serverConfiguration, onRefusal: handshakeRefused)
            },
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "weft"),
            onServerRunning: { channel in
                onListening(.sync(host: listen.host, port: channel.localAddress?.port ?? listen.port))
            },
            logger: logger)
        var services: [any Service] = [syncApp, pull]

        if let opsText = configuration.opsListen {
            let ops = try ListenAddress(opsText, field: "server.ops_listen")
            let opsRouter = Router()
            OpsRoutes(store: store, metrics: metrics).register(on: opsRouter)
            let cache = MergeCache(store: store)
            if configuration.analystWarmUp { cache.warmUp(logger: logger) }
            AnalystRoutes(store: store, cache: cache, logger: logger).register(on: opsRouter)
            DashboardRoutes().register(on: opsRouter)
            let opsApp = Application(
                router: opsRouter,
                configuration: .init(address: .hostname(ops.host, port: ops.port), serverName: "weft-ops"),
                onServerRunning: { channel in
                    onListening(.ops(host: ops.host, port: channel.localAddress?.port ?? ops.port))
                },
                logger: logger)
            services.append(opsApp)
        }
        return ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: signals, logger: logger))
    }
}
