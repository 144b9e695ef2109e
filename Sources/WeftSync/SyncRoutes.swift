import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WeftCore
import WeftStore

/// The peer protocol's routes (DESIGN.md §4), behind ``PeerGate``. Every answer is filtered through the caller's
/// ``FeedReader``: a bundle outside the caller's audience or policy is never served, relayed feeds included.
public struct SyncRoutes: Sendable {
    let store: NodeStore
    let metrics: SyncMetrics
    let gate: PeerGate
    /// Called when a peer says it holds something new.
    let onNotify: @Sendable (PeerRecord, SyncWire.Notice) -> Void

    /// Creates the routes.
    public init(
        store: NodeStore, metrics: SyncMetrics, gate: PeerGate,
        onNotify: @escaping @Sendable (PeerRecord, SyncWire.Notice) -> Void
    ) {
        self.store = store
        self.metrics = metrics
        self.gate = gate
        self.onNotify = onNotify
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<SyncRequestContext>) {
        let group = router.group("sync/v1").add(middleware: gate)
        group.get("heads") { _, context in
            let peer = try requirePeer(context)
            metrics.increment("weft_sync_requests_total", [("route", "heads")])
            return Self.answer(try SyncWire.encodeHeads(try store.heads(for: FeedReader(peer: peer))))
        }
        group.get("feeds/:origin/:channel") { request, context in
            let peer = try requirePeer(context)
            metrics.increment("weft_sync_requests_total", [("route", "feeds")])
            let origin = try Self.parameter(context, "origin", OriginID.init(hex:))
            let channel = try Self.parameter(context, "channel", Channel.init)
            let query = request.uri.queryParameters
            let after = try Self.integer(query.get("after"), "after", default: 0)
            let limit = min(SyncWire.maxFeedLimit, try Self.integer(query.get("limit"), "limit", default: 100))
            guard after >= 0, limit >= 1 else { throw HTTPError(.badRequest, message: "after ≥ 0 and limit ≥ 1") }
            let envelopes = try store.envelopes(
                origin: origin, channel: channel, after: after, limit: limit, maxBytes: SyncWire.maxFeedBytes,
                for: FeedReader(peer: peer))
            return Self.answer(SyncWire.encodeFeed(envelopes), type: "application/x-ndjson")
        }
        group.get("bundles/:id") { _, context in
            let peer = try requirePeer(context)
            metrics.increment("weft_sync_requests_total", [("route", "bundles")])
            let id = try Self.parameter(context, "id", BundleID.init(hex:))
            guard let envelope = try store.envelope(id: id, for: FeedReader(peer: peer)) else {
                throw HTTPError(.notFound, message: "no bundle \(id.hex) for this peer")
            }
            return Self.answer(envelope)
        }
        group.post("notify") { request, context in
            let peer = try requirePeer(context)
            metrics.increment("weft_sync_requests_total", [("route", "notify")])
            let body = try await request.body.collect(upTo: SyncWire.maxNotifyBytes)
            let notice: SyncWire.Notice
            do { notice = try SyncWire.Notice(bytes: Array(buffer: body)) } catch {
                throw HTTPError(.badRequest, message: "notify: \(error)")
            }
            onNotify(peer, notice)
            return Response(status: .accepted)
        }
    }

    private func requirePeer(_ context: SyncRequestContext) throws -> PeerRecord {
        guard let peer = context.peer else { throw HTTPError(.forbidden, message: "not an authenticated peer") }
        return peer
    }

    private static func answer(_ bytes: [UInt8], type: String = "application/json") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func parameter<T>(
        _ context: SyncRequestContext, _ name: String, _ make: (String) throws(RecordError) -> T
    ) throws -> T {
        guard let text = context.parameters.get(name) else { throw HTTPError(.badRequest, message: "missing \(name)") }
        do { return try make(text) } catch { throw HTTPError(.badRequest, message: "\(name): \(error.reason)") }
    }

    private static func integer(_ text: String?, _ name: String, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text) else { throw HTTPError(.badRequest, message: "\(name) must be an integer") }
        return number
    }
}
