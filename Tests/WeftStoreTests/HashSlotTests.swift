import Crypto
import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// Indicators and reports are found through 62-bit hash slots (`HashSlot`). Real collisions are too rare to meet
/// in a test, so these tests plant rows of other keys in the slots a bundle's keys need, and check that the keys
/// probe past them, stay findable, and leave the logical rows (and so the checksums) as a clean store has them.
@Suite struct HashSlotTests {
    /// Occupies `count` slots from `slot` in `table` with rows of made-up keys.
    static func plant(_ table: String, from slot: Int64, count: Int64, in store: NodeStore) throws {
        try store.database.write { db in
            for offset in 0..<count {
                let key = String(repeating: "f", count: 63) + String(offset, radix: 16).suffix(1)
                if table == "indicator" {
                    try db.execute(
                        sql: "INSERT INTO indicator (slot, key, kind, value) VALUES (?, ?, 'domain', ?)",
                        arguments: [slot + offset, key, "planted\(offset).example.com"])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO report (slot, id, origin, channel, case_id, indicator_id, first_seen,
                                                last_seen, confidence, labels, accounts_bucket, flagged_bucket, bundle_id,
                                                case_slot)
                            VALUES (?, ?, 'planted', 'federation', 'c0', 0, '2023-01-01', '2023-01-01', 1, '[]', 0, 0, 'x', 0)
                            """, arguments: [slot + offset, key])
                }
            }
        }
    }

    /// A store database in memory, migrated up to `migration`.
    static func database(migratedUpTo migration: String) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: migration)
        return queue
    }

    static func removePlanted(from store: NodeStore) throws {
        try store.database.write { db in
            try db.execute(sql: "DELETE FROM indicator WHERE value LIKE 'planted%'")
            try db.execute(sql: "DELETE FROM report WHERE origin = 'planted'")
        }
    }

    @Test func keysWhoseSlotsAreTakenProbeOnAndStayFindable() throws {
        let node = try StoreFixture()
        let clean = try StoreFixture()
        let reports = try StoreFixture.reports(3)
        let reportID = reports[0].id(origin: node.alpha.originID, channel: .federation)
        try Self.plant("indicator", from: HashSlot.home(hex: reports[0].indicator.key), count: 3, in: node.store)
        try Self.plant("report", from: HashSlot.home(hex: reportID), count: 2, in: node.store)

        let first = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: reports)[0]
        try node.store.receive(envelope: first.envelopeBytes)
        let slots = try node.store.database.read { db in
            (
                try Int64.fetchOne(
                    db, sql: "SELECT slot FROM indicator WHERE key = ?", arguments: [reports[0].indicator.key]),
                try Int64.fetchOne(db, sql: "SELECT slot FROM report WHERE id = ?", arguments: [reportID])
            )
        }
        #expect(slots.0 == HashSlot.home(hex: reports[0].indicator.key) + 3)
        #expect(slots.1 == HashSlot.home(hex: reportID) + 2)
        #expect(try node.store.sightings(of: reports[0].indicator).map(\.reportID) == [reportID])
        #expect(
            try node.store.cooccurring(with: reports[0].indicator).map(\.value).sorted() == [
                "d1.example.com", "d2.example.com",
            ])

        // The same report again (a later bundle repeating it) is recognised behind the planted rows.
        let again = node.alphaBundles(after: FeedPosition(seq: 1, id: first.id), cases: [], reports: [reports[0]])[0]
        try node.store.receive(envelope: again.envelopeBytes)
        #expect(try node.store.sightings(of: reports[0].indicator).count == 1)
        // A retraction finds it there too.
        let retraction = node.alphaBundles(
            after: FeedPosition(seq: 2, id: again.id), cases: [], reports: [],
            retractions: [Retraction(target: .report(reportID), reason: .falsePositive)])[0]
        try node.store.receive(envelope: retraction.envelopeBytes)
        #expect(try node.store.sightings(of: reports[0].indicator).isEmpty)

        _ = try clean.store.addOrigin(name: "node-alpha", publicKey: node.alpha.publicKey)
        for bundle in [first, again, retraction] { try clean.store.receive(envelope: bundle.envelopeBytes) }
        try Self.removePlanted(from: node.store)
        let sums = try node.dataChecksums()
        let cleanSums = try clean.dataChecksums()
        for table in ["indicator", "report", "case_record", "retraction"] {
            #expect(sums[table] == cleanSums[table], "\(table)")
        }
        #expect(try node.store.verifyAndRebuild().rebuildMatches)
    }

    @Test func aKeyWithEveryProbeSlotTakenFailsTheWriteAndChangesNothing() throws {
        let node = try StoreFixture()
        let reports = try StoreFixture.reports(2)
        try Self.plant(
            "indicator", from: HashSlot.home(hex: reports[1].indicator.key), count: HashSlot.probes, in: node.store)
        let before = try node.dataChecksums()
        let bundle = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: reports)[0]
        #expect(throws: DatabaseError.self) { try node.store.receive(envelope: bundle.envelopeBytes) }
        #expect(try node.dataChecksums() == before)
        #expect(try node.store.head(origin: node.alpha.originID, channel: .federation) == nil)
    }

    @Test func homeSlotsAreTheHashsFirst62Bits() {
        #expect(HashSlot.home(hex: String(repeating: "f", count: 64)) == Int64(UInt64.max >> 2))
        #expect(HashSlot.home(hex: String(repeating: "0", count: 64)) == 0)
        #expect(HashSlot.home(hex: "8000000000000001" + String(repeating: "0", count: 48)) == 1 << 61)
        // Only the first 16 digits count.
        #expect(HashSlot.home(hex: "0123456789abcdef" + "ff") == HashSlot.home(hex: "0123456789abcdef" + "00"))
        // The leading bits a prepared bundle carries give the same slot as the hex.
        let keys = ReportKeys(id: SHA256.hash(data: [1]), indicatorKey: SHA256.hash(data: [2]))
        #expect(HashSlot.home(leadingBits: keys.idLeadingBits) == HashSlot.home(hex: keys.id))
        #expect(HashSlot.home(leadingBits: keys.indicatorLeadingBits) == HashSlot.home(hex: keys.indicatorKey))
    }

    @Test func migrationsEightAndElevenKeepEveryIndicatorAndReport() throws {
        let queue = try Self.database(migratedUpTo: "7-saved-operations")
        let origin = String(repeating: "a", count: 64)
        let indicators = try (0..<40).map { try Indicator(kind: .domain, value: "m\($0).example.com") }
        let logicalBefore: [[DatabaseValue]] = try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO origin (id, name, public_key, status, added_at) VALUES (?, 'a', x'00', 'active', '2026-11-29')
                    """, arguments: [origin])
            for (index, indicator) in indicators.enumerated() {
                try db.execute(
                    sql: "INSERT INTO indicator (key, kind, value) VALUES (?, 'domain', ?)",
                    arguments: [indicator.key, indicator.value])
                for copy in 0..<(index % 3 + 1) {
                    try db.execute(
                        sql: """
                            INSERT INTO report (id, origin, channel, case_id, indicator_key, first_seen, last_seen,
                                                confidence, labels, accounts_bucket, flagged_bucket, bundle_id, retracted_by)
                            VALUES (?, ?, 'federation', ?, ?, '2023-05-01', '2023-05-02', 70, '[]', 5, 3, ?, ?)
                            """,
                        arguments: [
                            Hex.sha256(Array("r\(index)-\(copy)".utf8)), origin, "c\(copy)", indicator.key,
                            String(repeating: "b", count: 64), index == 7 ? String(repeating: "c", count: 64) : nil,
                        ])
                }
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM report ORDER BY id").map { Array($0.databaseValues) }
        }
        try Migrations.migrator.migrate(queue)
        try queue.read { db in
            #expect(try ReportLayoutTests.logicalReports(db) == logicalBefore)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM indicator") == indicators.count)
            for indicator in indicators {
                #expect(try HashSlot.indicatorID(db, key: indicator.key) != nil)
            }
            #expect(
                try HashSlot.reportExists(db, id: Hex.sha256(Array("r7-0".utf8)), origin: origin, channel: "federation")
            )
            #expect(try db.tableExists("report_before_slots") == false)
            try ReportLayoutTests.expectSoundLayout(db)
        }
    }

    @Test func casesSharingACaseSlotStayApart() throws {
        let node = try StoreFixture()
        let inFirst = try StoreFixture.reports(2, caseID: "c1", prefix: "one")
        let inSecond =
            try StoreFixture.reports(2, caseID: "c2", prefix: "two") + [
                try StoreFixture.report("c2", "one0.example.com")
            ]
        let first = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1"), try StoreFixture.caseRecord("c2")], reports: inFirst + inSecond)[
                0]
        try node.store.receive(envelope: first.envelopeBytes)
        // Give c2's reports and runs c1's case slot, as a 62-bit collision would.
        let origin = node.alpha.originID.hex
        let slot = HashSlot.caseSlot(origin: origin, channel: "federation", caseID: "c1")
        let ownSlot = HashSlot.caseSlot(origin: origin, channel: "federation", caseID: "c2")
        try node.store.database.write { db in
            try db.execute(sql: "UPDATE report SET case_slot = ? WHERE case_id = 'c2'", arguments: [slot])
            try db.execute(sql: "UPDATE case_run SET case_slot = ? WHERE case_slot = ?", arguments: [slot, ownSlot])
            #expect(db.changesCount == 1)
        }
        #expect(
            try node.store.cooccurring(with: inFirst[1].indicator).map(\.value) == ["one0.example.com"])

        let retraction = node.alphaBundles(
            after: FeedPosition(seq: 1, id: first.id), cases: [], reports: [],
            retractions: [Retraction(target: .caseID(try CaseID("c1")), reason: .falsePositive)])[0]
        try node.store.receive(envelope: retraction.envelopeBytes)
        let open = try node.store.database.read { db in
            try String.fetchAll(db, sql: "SELECT case_id FROM report WHERE retracted_by IS NULL ORDER BY case_id")
        }
        #expect(open == ["c2", "c2", "c2"])
    }

    @Test func migrationTenIndexesReportsByCaseSlot() throws {
        let queue = try Self.database(migratedUpTo: "9-retracted-reports")
        let origin = String(repeating: "a", count: 64)
        try queue.write { db in
            // As a store migrated by step 8 before it created the column.
            try db.execute(sql: "ALTER TABLE report DROP COLUMN case_slot")
            for index in 0..<6 {
                try db.execute(
                    sql: """
                        INSERT INTO report (slot, id, origin, channel, case_id, indicator_id, first_seen, last_seen,
                                            confidence, labels, accounts_bucket, flagged_bucket, bundle_id)
                        VALUES (?, ?, ?, 'federation', ?, 1, '2023-05-01', '2023-05-02', 70, '[]', 5, 3, 'b')
                        """, arguments: [index, Hex.sha256(Array("r\(index)".utf8)), origin, "c\(index % 2)"])
            }
        }
        try Migrations.migrator.migrate(queue, upTo: "10-case-slots")
        try queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT origin, channel, case_id, case_slot FROM report") {
                #expect(
                    row["case_slot"] as Int64
                        == HashSlot.caseSlot(origin: row["origin"], channel: row["channel"], caseID: row["case_id"]))
            }
            let indexed = try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('report_by_case')")
            #expect(indexed == ["case_slot"])
        }
    }
}
