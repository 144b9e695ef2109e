import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import WeftCore
import WeftStore

/// The pull loop of a running node, as a service: one task per active peer, each polling on its own schedule
/// (so a slow or dead peer never delays the others), woken early by that peer's notify; exponential back-off
/// with jitter after failures. A watcher notices new bundles in the store (published locally or received) and
/// notifies the peers allowed to read them, so new material travels hop by hop without waiting for polls.
public final class PullService: Service, Sendable {
    /// Timing and behaviour.
    public struct Settings: Sendable {
        /// Time between rounds with a healthy peer.
        public var pollInterval: Duration = .seconds(10)
        /// First back-off after a failure; doubles per failure up to ``maxBackoff``, with jitter.
        public var initialBackoff: Duration = .seconds(1)
        /// Longest back-off.
        public var maxBackoff: Duration = .seconds(300)
        /// Send and honour notify messages.
        public var notify = true
        /// How often the store is checked for new bundles to notify about.
        public var notifyCheck: Duration = .milliseconds(250)
        /// How often the peer table is re-read for added, suspended or revoked peers.
        public var peerRefresh: Duration = .seconds(2)

        /// Defaults.
        public init() {}

        /// The wait after `failures` failures in a row: initialBackoff × 2^(failures−1), at most maxBackoff,
        /// times a random factor in [0.5, 1) so that peers that failed together do not retry together.
        public func backoff(after failures: Int) -> Duration {
            let base = initialBackoff * (1 << min(max(failures, 1) - 1, 20))
            return min(base, maxBackoff) * Double.random(in: 0.5..<1)
        }
    }

    let store: NodeStore
    let puller: PeerPuller
    let settings: Settings
    let metrics: SyncMetrics
    let logger: Logger
    private let doorbells = NIOLockedValueBox<[String: Doorbell]>([:])

    /// Creates the service.
    public init(store: NodeStore, puller: PeerPuller, settings: Settings, metrics: SyncMetrics, logger: Logger) {
        self.store = store
        self.puller = puller
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    /// Wakes the loop of the peer that sent a notify.
    public func notified(by peer: PeerRecord) {
        guard settings.notify else { return }
        let bell = doorbells.withLockedValue { $0[peer.name] }
        if let bell { Task { await bell.ring() } }
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            if settings.notify { group.addTask { await self.watchAndNotify() } }
            var running: Set<String> = []
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                for peer in (try? store.peers()) ?? [] where peer.status == .active && !running.contains(peer.name) {
                    running.insert(peer.name)
                    let bell = Doorbell()
                    doorbells.withLockedValue { $0[peer.name] = bell }
                    group.addTask { await self.loop(peer: peer.name, bell: bell) }
                }
                try? await gracefulSleep(settings.peerRefresh)
            }
            group.cancelAll()
        }
    }

    private func gracefulSleep(_ duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }

    /// One peer's loop; ends when the peer is revoked or the service shuts down.
    private func loop(peer name: String, bell: Doorbell) async {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Revocation is final and ends the loop; a suspended peer is skipped until it is resumed.
            guard let peer = try? store.peer(named: name), peer.status != .revoked else { break }
            guard peer.status == .active else {
                metrics.set("weft_peer_up", [("peer", name)], to: 0)
                await pause(bell, settings.peerRefresh)
                continue
            }
            let delay: Duration
            do {
                let report = try await puller.pull(from: peer)
                failures = 0
                metrics.increment("weft_sync_rounds_total", [("peer", name), ("result", "ok")])
                metrics.set("weft_peer_up", [("peer", name)], to: 1)
                if report.applied > 0 || report.rejected > 0 {
                    logger.info(
                        "pulled",
                        metadata: ["peer": "\(name)", "applied": "\(report.applied)", "rejected": "\(report.rejected)"])
                }
                delay = settings.pollInterval
            } catch {
                failures += 1
                metrics.increment("weft_sync_rounds_total", [("peer", name), ("result", "failed")])
                metrics.set("weft_peer_up", [("peer", name)], to: 0)
                logger.warning(
                    "pull failed", metadata: ["peer": "\(name)", "error": "\(error)", "failures": "\(failures)"])
                delay = settings.backoff(after: failures)
            }
            await pause(bell, delay)
        }
        _ = doorbells.withLockedValue { $0.removeValue(forKey: name) }
    }

    /// Waits for `delay`, a notify, or shutdown.
    private func pause(_ bell: Doorbell, _ delay: Duration) async {
        await withGracefulShutdownHandler {
            await bell.wait(upTo: delay)
        } onGracefulShutdown: {
            Task { await bell.ring() }
        }
    }

    /// Watches the store for new bundles and notifies each active peer allowed to read the newest one.
    private func watchAndNotify() async {
        var seen = (try? store.latestBundle()?.rowID) ?? 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await gracefulSleep(settings.notifyCheck)
            guard let latest = try? store.latestBundle(), latest.rowID != seen else { continue }
            seen = latest.rowID
            let notice = SyncWire.Notice(origin: latest.origin, channel: latest.channel, seq: latest.seq)
            let peers = ((try? store.peers()) ?? []).filter {
                $0.status == .active
                    && FeedReader(peer: $0).mayRead(
                        origin: latest.origin, channel: latest.channel, audience: latest.audience, node: store.node)
            }
            await withTaskGroup(of: Void.self) { group in
                for peer in peers { group.addTask { await self.send(notice, to: peer) } }
            }
        }
    }

    private func send(_ notice: SyncWire.Notice, to peer: PeerRecord) async {
        do {
            let body = try notice.encode()
            let response = try await SyncConnection.with(
                peer.url, identity: puller.identity, pin: peer.spkiPin, requestTimeout: .seconds(5)
            ) { connection in try await connection.post("\(SyncWire.prefix)/notify", json: body) }
            metrics.increment("weft_notify_sent_total", [("result", response.status == 202 ? "ok" : "refused")])
        } catch {
            metrics.increment("weft_notify_sent_total", [("result", "failed")])
        }
    }
}
