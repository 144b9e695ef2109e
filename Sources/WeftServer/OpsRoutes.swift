import HTTPTypes
import Hummingbird
import NIOCore
import WeftCore
import WeftStore
import WeftSync

/// `/health` and `/metrics` on the plain-HTTP operations listener (meant for loopback and scrapers).
struct OpsRoutes: Sendable {
    let store: NodeStore
    let metrics: SyncMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("health") { _, _ in
            let status = try store.status()
            let peers = try store.peers()
            let body: JSONValue = [
                "status": "ok", "node": .string(status.node), "bundles": .number(Double(status.bundles)),
                "feeds": .number(Double(status.feeds.count)),
                "peers_active": .number(Double(peers.filter { $0.status == .active }.count)),
            ]
            return Self.answer(try CanonicalJSON.encode(body), type: "application/json")
        }
        router.get("metrics") { _, _ in
            Self.answer(Array(try exposition().utf8), type: "text/plain; version=0.0.4")
        }
    }

    /// The metrics text: in-memory counters plus gauges read from the store at scrape time.
    func exposition() throws -> String {
        var extra: [String: Double] = [:]
        let peers = try store.peers()
        for status in PeerRecord.Status.allCases {
            extra[SyncMetrics.series("weft_peers", [("status", status.rawValue)])] = Double(
                peers.filter { $0.status == status }.count)
        }
        for lag in try store.feedLags() {
            let labels = [("peer", lag.peer), ("origin", lag.origin), ("channel", lag.channel)]
            extra[SyncMetrics.series("weft_feed_lag_bundles", labels)] = Double(lag.lag)
        }
        return metrics.render(extra: extra)
    }

    private static func answer(_ bytes: [UInt8], type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
