import Foundation
import GRDB
import Synchronization
import WeftCore

/// What `weft verify` found.
public struct VerificationReport: Sendable, Codable {
    /// One stored bundle that no longer verifies.
    public struct Failure: Sendable, Codable, Hashable {
        /// The bundle id as stored.
        public var bundleID: String
        /// The rejection code.
        public var reason: String
        /// What is wrong.
        public var message: String
    }

    /// Bundles checked.
    public var bundlesChecked: Int
    /// Feeds checked.
    public var feedsChecked: Int
    /// Bundles that failed re-verification.
    public var failures: [Failure]
    /// Derived-table checksums before the rebuild (the incremental state).
    public var incremental: [String: String]
    /// Derived-table checksums after rebuilding from bundles alone.
    public var rebuilt: [String: String]

    /// True when the rebuild equals the incremental state.
    public var rebuildMatches: Bool { incremental == rebuilt }
    /// True when every bundle verified and the rebuild matched.
    public var isClean: Bool { failures.isEmpty && rebuildMatches }
}

extension NodeStore {
    /// Re-verifies every stored bundle (signature, chain, canonical form, audience, records) and rebuilds the
    /// derived tables from the bundles alone, in one transaction. The rebuilt tables replace the old ones; the
    /// report says whether they were equal.
    ///
    /// - Parameter progress: called after each feed with (feeds done, feeds in all).
    public func verifyAndRebuild(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> VerificationReport {
        let result = try database.write { db in
            var incremental: [String: String] = [:]
            for table in Migrations.derivedTables { incremental[table] = try TableChecksum.compute(db, table: table) }
            for table in Migrations.derivedTables.reversed() { try db.execute(sql: "DELETE FROM \(table)") }

            var failures: [VerificationReport.Failure] = []
            var bundlesChecked = 0
            let feeds = try Row.fetchAll(
                db, sql: "SELECT DISTINCT origin, channel FROM bundle ORDER BY origin, channel")
            for (feedIndex, feed) in feeds.enumerated() {
                let origin: String = feed["origin"]
                let channel: String = feed["channel"]
                let key = try Data.fetchOne(db, sql: "SELECT public_key FROM origin WHERE id = ?", arguments: [origin])
                var previous: BundleID?
                var expectedSeq = 1
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT id, seq, envelope FROM bundle WHERE origin = ? AND channel = ? ORDER BY seq
                        """, arguments: [origin, channel])
                while let row = try rows.next() {
                    bundlesChecked += 1
                    let storedID: String = row["id"]
                    do {
                        let payload = try reverify(
                            envelope: Array(row["envelope"] as Data), storedID: storedID,
                            storedSeq: row["seq"], expectedSeq: expectedSeq, previous: previous,
                            key: key.map { Array($0) })
                        try DerivedTables.apply(db, payload: payload, bundleID: try BundleID(hex: storedID))
                        previous = try BundleID(hex: storedID)
                    } catch let rejection as BundleRejection {
                        failures.append(
                            .init(bundleID: storedID, reason: rejection.code.name, message: rejection.message))
                        previous = try? BundleID(hex: storedID)
                    }
                    expectedSeq += 1
                }
                progress?(feedIndex + 1, feeds.count)
            }
            var rebuilt: [String: String] = [:]
            for table in Migrations.derivedTables { rebuilt[table] = try TableChecksum.compute(db, table: table) }
            let report = VerificationReport(
                bundlesChecked: bundlesChecked, feedsChecked: feeds.count, failures: failures,
                incremental: incremental, rebuilt: rebuilt)
            try AuditLog.append(
                db, action: "store.verify", subject: node.hex, outcome: report.isClean ? "clean" : "problems",
                detail: "\(bundlesChecked) bundles, \(failures.count) failures, rebuild "
                    + (report.rebuildMatches ? "matches" : "differs"))
            return report
        }
        // Counted again from the rebuilt tables (they differ from the counts kept if the rebuild differs).
        derivedCounts.withLock { $0 = nil }
        return result
    }

    private func reverify(
        envelope: [UInt8], storedID: String, storedSeq: Int, expectedSeq: Int, previous: BundleID?,
        key: [UInt8]?
    ) throws(BundleRejection) -> BundlePayload {
        let received = try ReceivedBundle(envelopeBytes: envelope, limits: limits)
        guard received.id.hex == storedID else {
            throw BundleRejection(
                .malformedPayload,
                "stored under id \(storedID.prefix(12)) but its payload hashes to \(received.id.short)")
        }
        guard let key, let publicKey = try? OriginPublicKey(rawRepresentation: key) else {
            throw BundleRejection(.unknownOrigin, "the origin's key is missing", bundleID: received.id)
        }
        try received.checkSignature(with: publicKey)
        let (header, value) = try received.readHeader()
        guard header.seq == storedSeq, header.seq == expectedSeq, header.prev == previous else {
            throw BundleRejection(
                .equivocation, "seq \(header.seq) or prev does not continue the stored chain at seq \(expectedSeq)",
                bundleID: received.id)
        }
        try received.checkCanonical(value)
        try received.checkAudience(header, node: node)
        return try received.readRecords(value, header: header, limits: limits)
    }
}
