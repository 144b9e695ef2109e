import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// The step-11 report layout (`ReportWriter`): seqs in arrival order, an indicator's id equal to the seq of the
/// report that brought it, the partial by-indicator index, and case runs in place of a by-case index entry per
/// report.
@Suite struct ReportLayoutTests {
    /// Checks the layout's invariants on every row: each report is reached through exactly one run of its case's
    /// slot, each indicator through the report that brought it, and the partial index holds exactly the reports
    /// of indicators held already.
    static func expectSoundLayout(_ db: Database, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let unreachable = try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM report r
                WHERE (SELECT count(*) FROM case_run run
                       WHERE r.seq BETWEEN run.first_seq AND run.last_seq AND run.case_slot = r.case_slot) != 1
                """)
        #expect(unreachable == 0, "reports not in exactly one run of their case", sourceLocation: sourceLocation)
        let orphans = try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM indicator i
                WHERE NOT EXISTS (SELECT 1 FROM report r WHERE r.seq = i.id AND r.indicator_id = i.id)
                """)
        #expect(orphans == 0, "indicators whose id is not their first report's seq", sourceLocation: sourceLocation)
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT count(*) FROM report) AS reports, (SELECT count(*) FROM indicator) AS indicators,
                       (SELECT count(*) FROM report INDEXED BY report_by_repeated_indicator
                        WHERE indicator_id > 0 AND indicator_id <> seq) AS repeats
                """)!
        #expect(
            (counts["repeats"] as Int) == (counts["reports"] as Int) - (counts["indicators"] as Int),
            sourceLocation: sourceLocation)
    }

    /// Every report of `indicator`, found through ``ReportLookup/ofIndicator``, against a scan of the table.
    static func expectLookupEqualsScan(_ db: Database, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for indicatorID in try Int64.fetchAll(db, sql: "SELECT id FROM indicator") {
            let found = try String.fetchAll(
                db, sql: "SELECT r.id FROM report r WHERE \(ReportLookup.ofIndicator) ORDER BY r.id",
                arguments: ["indicator": indicatorID])
            let scanned = try String.fetchAll(
                db, sql: "SELECT id FROM report NOT INDEXED WHERE indicator_id = ? ORDER BY id",
                arguments: [indicatorID])
            #expect(found == scanned, sourceLocation: sourceLocation)
        }
    }

    /// The reports' logical rows (``TableChecksum/logicalRows``: local ids replaced by keys), ordered by id.
    static func logicalReports(_ db: Database) throws -> [[DatabaseValue]] {
        let (select, _) = try #require(TableChecksum.logicalRows["report"])
        return try Row.fetchAll(db, sql: "SELECT * FROM (\(select)) ORDER BY id").map { Array($0.databaseValues) }
    }

    @Test func interleavedCasesAndRepeatedIndicatorsKeepTheLayoutSound() throws {
        let node = try StoreFixture()
        let cases = try ["c1", "c2", "c3"].map(StoreFixture.caseRecord)
        // c1, c2, c1 again (a new run), then c3 reporting c1's and c2's domains again (repeats).
        let first = node.alphaBundles(
            cases: cases,
            reports: try StoreFixture.reports(3, caseID: "c1", prefix: "a") + StoreFixture.reports(2, caseID: "c2")
                + StoreFixture.reports(2, caseID: "c1", prefix: "b")
                + StoreFixture.reports(2, caseID: "c3", prefix: "a")
                + [try StoreFixture.report("c3", "d0.example.com")])[0]
        try node.store.receive(envelope: first.envelopeBytes)
        // A second bundle: more of c1 (its own run) and a copy of a report already held (not a new row).
        let second = node.alphaBundles(
            after: FeedPosition(seq: 1, id: first.id), cases: [],
            reports: try StoreFixture.reports(4, caseID: "c1", prefix: "a"))[0]
        try node.store.receive(envelope: second.envelopeBytes)

        try node.store.database.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM report") == 11)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator") == 8)
            // Runs: c1 a0-a2, c2, c1 b0-b1, c3 (first bundle); c1 a3 (the second: a0-a2 are copies).
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM case_run") == 5)
            try Self.expectSoundLayout(db)
            try Self.expectLookupEqualsScan(db)
        }
        let a0 = try Indicator(kind: .domain, value: "a0.example.com")
        #expect(try node.store.sightings(of: a0).map(\.caseID).sorted() == ["c1", "c3"])
        // a1 shares both cases; the others one each, in the order of their keys.
        let sharingOne = ["a2", "a3", "b0", "b1", "d0"].map {
            try! Indicator(kind: .domain, value: "\($0).example.com")
        }
        #expect(
            try node.store.cooccurring(with: a0).map(\.value)
                == ["a1.example.com"] + sharingOne.sorted { $0.key < $1.key }.map(\.value))

        // Retracting c1 reaches all three of its runs, and nothing of c3's reports of the same domains.
        let retraction = node.alphaBundles(
            after: FeedPosition(seq: 2, id: second.id), cases: [], reports: [],
            retractions: [Retraction(target: .caseID(try CaseID("c1")), reason: .falsePositive)])[0]
        try node.store.receive(envelope: retraction.envelopeBytes)
        let open = try node.store.database.read { db in
            try String.fetchAll(
                db, sql: "SELECT case_id FROM report WHERE retracted_by IS NULL ORDER BY case_id, id")
        }
        #expect(open == ["c2", "c2", "c3", "c3", "c3"])
        #expect(try node.store.sightings(of: a0).map(\.caseID) == ["c3"])
        #expect(try node.store.verifyAndRebuild().rebuildMatches)
    }

    @Test func migrationElevenSequencesAStepTenStore() throws {
        let queue = try HashSlotTests.database(migratedUpTo: "10-case-slots")
        let origin = String(repeating: "a", count: 64)
        let domains = (0..<12).map { "m\($0 % 7).example.com" }  // five of them twice
        let logicalBefore: [[DatabaseValue]] = try queue.write { db in
            var writerIDs: [String: Int64] = [:]
            for (index, domain) in domains.enumerated() {
                let indicator = try Indicator(kind: .domain, value: domain)
                if writerIDs[indicator.key] == nil {
                    try db.execute(
                        sql: "INSERT INTO indicator (slot, key, kind, value) VALUES (?, ?, 'domain', ?)",
                        arguments: [HashSlot.home(hex: indicator.key), indicator.key, domain])
                    writerIDs[indicator.key] = db.lastInsertedRowID
                }
                let id = Hex.sha256(Array("r\(index)".utf8))
                let caseID = "c\(index / 3 % 2)"
                try db.execute(
                    sql: """
                        INSERT INTO report (slot, id, origin, channel, case_id, indicator_id, first_seen, last_seen,
                                            confidence, labels, accounts_bucket, flagged_bucket, bundle_id,
                                            retracted_by, case_slot)
                        VALUES (?, ?, ?, 'federation', ?, ?, '2023-05-01', '2023-05-02', 70, '[]', 5, 3, 'b', ?, ?)
                        """,
                    arguments: [
                        HashSlot.home(hex: id), id, origin, caseID, writerIDs[indicator.key],
                        index == 4 ? String(repeating: "c", count: 64) : nil,
                        HashSlot.caseSlot(origin: origin, channel: "federation", caseID: caseID),
                    ])
            }
            return try Self.logicalReports(db)
        }
        try Migrations.migrator.migrate(queue)
        try queue.read { db in
            #expect(try Self.logicalReports(db) == logicalBefore)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator") == 7)
            // Runs of c0 and c1 alternate every three reports.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM case_run") == 4)
            #expect(try String.fetchOne(db, sql: "SELECT id FROM report WHERE seq = 5") == Hex.sha256(Array("r4".utf8)))
            try Self.expectSoundLayout(db)
            try Self.expectLookupEqualsScan(db)
            for table in ["report_before_sequence", "indicator_before_sequence"] {
                #expect(try db.tableExists(table) == false)
            }
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'report' ORDER BY name")
            #expect(
                indexes.filter { !$0.hasPrefix("sqlite_autoindex") } == [
                    "report_by_repeated_indicator", "report_retracted",
                ])
        }
    }
}
