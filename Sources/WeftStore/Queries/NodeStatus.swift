import GRDB
import Synchronization
import WeftCore

import struct Foundation.Data

/// A summary of what a node holds.
public struct NodeStatus: Sendable, Codable, Hashable {
    /// One feed's head.
    public struct Feed: Sendable, Codable, Hashable {
        public var origin: String
        public var originName: String
        public var channel: String
        public var seq: Int
        public var bundleID: String
        /// Bundles held back behind a gap in this feed.
        public var pending: Int
    }

    /// This node's origin id.
    public var node: String
    /// Known origins by status.
    public var origins: [String: Int]
    /// Feeds held.
    public var feeds: [Feed]
    /// Counts of stored rows.
    public var bundles: Int
    public var cases: Int
    public var reports: Int
    public var reportsRetracted: Int
    public var indicators: Int
    public var pendingBundles: Int
    public var equivocations: Int
    public var auditEntries: Int
    /// Checksums of the derived tables and feed heads (equal on nodes that hold the same bundles), if asked for.
    public var checksums: [String: String]?
}

/// Row counts of the bundle log and the tables derived from it, and the stamp of the log they were counted at.
struct DerivedCounts: Sendable {
    var stamp: String
    var bundles: Int
    var cases: Int
    var reports: Int
    var reportsRetracted: Int
    var indicators: Int
}

extension NodeStore {
    /// A summary of the store; with `checksums`, also the fingerprints that two converged nodes share (a scan of
    /// every derived table: slow on large stores).
    public func status(checksums: Bool = false) throws -> NodeStatus {
        try database.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            var origins: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM origin GROUP BY status") {
                origins[row["status"]] = row["n"]
            }
            let feeds = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.origin, o.name, h.channel, h.seq, h.bundle_id,
                           (SELECT count(*) FROM pending_bundle p WHERE p.origin = h.origin AND p.channel = h.channel) AS pending
                    FROM feed_head h JOIN origin o ON o.id = h.origin ORDER BY o.name, h.channel
                    """
            ).map { row in
                NodeStatus.Feed(
                    origin: row["origin"], originName: row["name"], channel: row["channel"], seq: row["seq"],
                    bundleID: row["bundle_id"], pending: row["pending"])
            }
            let counts = try self.counts(db)
            return NodeStatus(
                node: node.hex, origins: origins, feeds: feeds,
                bundles: counts.bundles, cases: counts.cases, reports: counts.reports,
                reportsRetracted: counts.reportsRetracted, indicators: counts.indicators,
                pendingBundles: try count("SELECT count(*) FROM pending_bundle"),
                equivocations: try count("SELECT count(*) FROM equivocation"),
                auditEntries: try count("SELECT count(*) FROM audit"),
                checksums: checksums
                    ? try Dictionary(
                        uniqueKeysWithValues: (Migrations.derivedTables + ["feed_head"]).map {
                            ($0, try TableChecksum.compute(db, table: $0))
                        }) : nil)
        }
    }

    /// The derived tables' row counts, counted again only when the bundle log changed: those tables change only
    /// when a bundle is applied (retractions arrive in bundles too; `weft verify` rebuilds them equal), and
    /// counting ten million reports takes longer than an analyst should wait for a status.
    private func counts(_ db: Database) throws -> DerivedCounts {
        let log = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(rowid), 0) FROM bundle")!
        let stamp = "\(log[0] as Int)/\(log[1] as Int)"
        if let cached = derivedCounts.withLock({ $0 }), cached.stamp == stamp { return cached }
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        let counts = DerivedCounts(
            stamp: stamp, bundles: log[0], cases: try count("SELECT count(*) FROM case_record"),
            reports: try count("SELECT count(*) FROM report"),
            reportsRetracted: try count("SELECT count(*) FROM report WHERE retracted_by IS NOT NULL"),
            indicators: try count("SELECT count(*) FROM indicator"))
        derivedCounts.withLock { $0 = counts }
        return counts
    }

    /// The envelopes of one feed after `seq`, in order, as stored (verbatim bytes).
    public func envelopes(origin: OriginID, channel: Channel, after seq: Int, limit: Int = .max) throws -> [[UInt8]] {
        try database.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT envelope FROM bundle WHERE origin = ? AND channel = ? AND seq > ? ORDER BY seq LIMIT ?
                    """, arguments: [origin.hex, channel.name, seq, limit]
            ).map { Array($0) }
        }
    }

    /// True when the bundle with this id (hex) is held (applied, not merely pending).
    public func holdsBundle(_ id: String) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM bundle WHERE id = ?", arguments: [id]) ?? false
        }
    }

    /// The head of one feed, if the node holds it.
    public func head(origin: OriginID, channel: Channel) throws -> FeedHead? {
        try database.read { db in try FeedHead.fetch(db, origin: origin, channel: channel) }
    }
}
