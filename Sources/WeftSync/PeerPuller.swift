import Logging
import NIOCore
import WeftCore
import WeftStore

/// What one pull round with one peer did.
public struct PullReport: Sendable, Hashable {
    /// The peer.
    public var peer: String
    /// Feeds the peer offered.
    public var feedsOffered = 0
    /// Feeds where the peer was ahead of this node.
    public var feedsBehind = 0
    /// Bundles by outcome.
    public var applied = 0
    public var duplicates = 0
    public var held = 0
    public var rejected = 0
    /// Feeds not pulled because their origin is unknown here or not active, as `origin/channel`.
    public var skippedFeeds: [String] = []
    /// The first few rejections, `code: message`.
    public var rejections: [String] = []
    /// Wall seconds spent applying fetched bundles (the writer's busy time), out of the whole round: near the
    /// round's duration, the writer is the limit; well below it, fetching and verifying are.
    public var writeSeconds: Double = 0

    /// Creates an empty report.
    public init(peer: String) { self.peer = peer }
}

/// One pull round against one peer: fetch its heads, and for every feed where it is ahead, fetch the missing
/// bundles in batches and apply each batch in one transaction together with the feed's cursor.
///
/// Bundles of origins this node does not know (or has revoked or quarantined) are not fetched at all: they
/// would only be rejected, and the skip is reported instead.
public struct PeerPuller: Sendable {
    let store: NodeStore
    let identity: TLSIdentity
    let metrics: SyncMetrics
    let logger: Logger
    /// Bundles per request and per apply transaction.
    public var batchSize: Int
    /// Deadline for each request.
    public var requestTimeout: Duration
    /// Called after each applied page with the peer's name, bundles applied so far in this round, and how many
    /// the current feed still lacks; for progress lines on long pulls.
    public var progress: (@Sendable (_ peer: String, _ applied: Int, _ remaining: Int) -> Void)?

    /// Creates a puller.
    public init(
        store: NodeStore, identity: TLSIdentity, metrics: SyncMetrics, logger: Logger, batchSize: Int = 64,
        requestTimeout: Duration = .seconds(60)
    ) {
        self.store = store
        self.identity = identity
        self.metrics = metrics
        self.logger = logger
        self.batchSize = batchSize
        self.requestTimeout = requestTimeout
    }

    /// Runs one round and records its outcome as the peer's last contact or last error. Throws if the peer
    /// cannot be reached or answers badly; bundles it sent that failed verification are counted in the report,
    /// audited by the store, and do not fail the round.
    public func pull(from peer: PeerRecord) async throws -> PullReport {
        do {
            let report = try await round(with: peer)
            try? store.recordContact(peer: peer.name, error: nil)
            return report
        } catch {
            try? store.recordContact(peer: peer.name, error: "\(error)")
            throw error
        }
    }

    private func round(with peer: PeerRecord) async throws -> PullReport {
        var report = PullReport(peer: peer.name)
        let origins = Dictionary(try store.origins().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let timeout = TimeAmount.nanoseconds(Int64(requestTimeout.components.seconds) * 1_000_000_000)
        try await SyncConnection.with(peer.url, identity: identity, pin: peer.spkiPin, requestTimeout: timeout) {
            connection in
            let heads = try SyncWire.decodeHeads(try await connection.getOK("\(SyncWire.prefix)/heads"))
            report.feedsOffered = heads.count
            for head in heads where head.origin != store.node {
                guard let origin = origins[head.origin], origin.status == .active else {
                    report.skippedFeeds.append("\(head.origin.short)/\(head.channel)")
                    continue
                }
                var ours = try store.head(origin: head.origin, channel: head.channel)?.seq ?? 0
                guard head.seq > ours else { continue }
                report.feedsBehind += 1
                let cursor = SyncCursor(
                    peer: peer.name, origin: head.origin, channel: head.channel, peerSeq: head.seq)
                // While one page is written (one core), the next is fetched and its stateless verification
                // steps run (the other core). Both block their thread for a while, so they run on Dispatch's
                // threads, never on the cooperative pool that serves requests and runs the other peers' loops.
                var page = try await prepare(try await fetch(connection, head, after: ours))
                while !page.isEmpty {
                    let applying = Task { [store, cursor, page] in
                        try await offloaded {
                            let start = ContinuousClock.now
                            let results = try store.receive(
                                prepared: page, source: "peer \(peer.name)", cursor: cursor)
                            return (results, ContinuousClock.now - start)
                        }
                    }
                    let expected = ours + page.count
                    let next =
                        expected < head.seq ? try await prepare(try await fetch(connection, head, after: expected)) : []
                    let (results, writing) = try await applying.value
                    tally(results, into: &report)
                    report.writeSeconds += writing.inSeconds
                    let now = try store.head(origin: head.origin, channel: head.channel)?.seq ?? 0
                    if now <= ours { break }  // nothing applied: rejected or held; the next round retries
                    progress?(peer.name, report.applied, head.seq - now)
                    if now >= head.seq { break }
                    page = now == expected ? next : try await prepare(try await fetch(connection, head, after: now))
                    ours = now
                }
            }
        }
        return report
    }

    private func prepare(_ envelopes: [[UInt8]]) async throws -> [Result<PreparedBundle, BundleRejection>] {
        try await offloaded { [store] in try store.prepare(envelopes) }
    }

    private func fetch(_ connection: SyncConnection, _ head: ServedHead, after seq: Int) async throws -> [[UInt8]] {
        SyncWire.decodeFeed(
            try await connection.getOK(
                SyncWire.feedPath(origin: head.origin, channel: head.channel, after: seq, limit: batchSize)))
    }

    private func tally(_ results: [Result<IntakeOutcome, BundleRejection>], into report: inout PullReport) {
        for result in results {
            switch result {
            case .success(.applied(_, _, let drained)):
                report.applied += 1 + drained
                metrics.increment("weft_bundles_received_total", [("outcome", "accepted")], by: Double(1 + drained))
            case .success(.duplicate):
                report.duplicates += 1
                metrics.increment("weft_bundles_received_total", [("outcome", "duplicate")])
            case .success(.heldBack):
                report.held += 1
                metrics.increment("weft_bundles_received_total", [("outcome", "held")])
            case .failure(let rejection):
                report.rejected += 1
                metrics.increment(
                    "weft_bundles_received_total", [("outcome", "rejected"), ("reason", rejection.code.name)])
                if report.rejections.count < 10 {
                    report.rejections.append("\(rejection.code.name): \(rejection.message)")
                }
            }
        }
    }
}
