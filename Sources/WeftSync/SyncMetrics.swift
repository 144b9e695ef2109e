import Foundation
import NIOConcurrencyHelpers

/// Counters and gauges of the sync layer, rendered in Prometheus' text format at `/metrics`.
///
/// Series are kept by their full name with labels (`weft_bundles_received_total{outcome="accepted"}`), so the
/// renderer needs no registry: a family's HELP and TYPE lines come from ``families``.
public final class SyncMetrics: Sendable {
    private let values = NIOLockedValueBox<[String: Double]>([:])

    /// Creates empty metrics.
    public init() {}

    /// HELP text and TYPE per metric family.
    static let families: [String: (help: String, type: String)] = [
        "weft_bundles_received_total": ("Bundles received from peers, by outcome and rejection reason.", "counter"),
        "weft_reports_applied_total": ("Reports in bundles applied from peers.", "counter"),
        "weft_sync_rounds_total": ("Pull rounds per peer, by result.", "counter"),
        "weft_sync_requests_total": ("Sync requests served, by route.", "counter"),
        "weft_sync_refused_total": ("Sync requests refused, by reason.", "counter"),
        "weft_notify_sent_total": ("Notify messages sent to peers, by result.", "counter"),
        "weft_peer_up": ("1 when the last pull round with the peer succeeded.", "gauge"),
        "weft_feed_lag_bundles": ("Bundles this node is behind a peer, per feed (from the sync cursors).", "gauge"),
        "weft_peers": ("Peers in the trust table, by status.", "gauge"),
    ]

    /// Adds `amount` to a counter.
    public func increment(_ name: String, _ labels: [(String, String)] = [], by amount: Double = 1) {
        let key = Self.series(name, labels)
        values.withLockedValue { $0[key, default: 0] += amount }
    }

    /// Sets a gauge.
    public func set(_ name: String, _ labels: [(String, String)] = [], to value: Double) {
        let key = Self.series(name, labels)
        values.withLockedValue { $0[key] = value }
    }

    /// The current value of a series (0 if never touched).
    public func value(_ name: String, _ labels: [(String, String)] = []) -> Double {
        let key = Self.series(name, labels)
        return values.withLockedValue { $0[key] ?? 0 }
    }

    /// The exposition text, with `extra` series (computed at scrape time) merged in.
    public func render(extra: [String: Double] = [:]) -> String {
        let all = values.withLockedValue { $0 }.merging(extra) { _, new in new }
        var byFamily: [String: [(String, Double)]] = [:]
        for (series, value) in all {
            let family = String(series.prefix { $0 != "{" })
            byFamily[family, default: []].append((series, value))
        }
        var out = ""
        for family in byFamily.keys.sorted() {
            if let meta = Self.families[family] {
                out += "# HELP \(family) \(meta.help)\n# TYPE \(family) \(meta.type)\n"
            }
            for (series, value) in byFamily[family]!.sorted(by: { $0.0 < $1.0 }) {
                let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
                out += "\(series) \(text)\n"
            }
        }
        return out
    }

    /// `name{a="x",b="y"}` with label values escaped as the text format requires.
    public static func series(_ name: String, _ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return name }
        let body = labels.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(escaped)\""
        }
        return "\(name){\(body.joined(separator: ","))}"
    }
}
