import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// seq/prev continuity: replays change nothing, gaps wait, forks and equivocation quarantine the origin.
@Suite struct FeedContinuityTests {
    /// Alpha's feed of `count` bundles, each with one new report (the first also declares the case).
    func feed(_ node: StoreFixture, count: Int) throws -> [SignedBundle] {
        var bundles: [SignedBundle] = []
        for index in 0..<count {
            let head = bundles.last.map { FeedPosition(seq: $0.payload.header.seq, id: $0.id) }
            bundles += node.alphaBundles(
                after: head, cases: index == 0 ? [try StoreFixture.caseRecord("c1")] : [],
                reports: [try StoreFixture.report("c1", "d\(index).example.com")])
        }
        return bundles
    }

    @Test func replayingABundleChangesNothing() throws {
        let node = try StoreFixture()
        let bundle = try feed(node, count: 1)[0]
        try node.store.receive(envelope: bundle.envelopeBytes)
        let before = try node.store.checksums()  // the audit log included
        #expect(try node.store.receive(envelope: bundle.envelopeBytes) == .duplicate(bundle.id))
        #expect(try node.store.checksums() == before)
    }

    @Test func aGapIsHeldBackThenDrainedInOrder() throws {
        let node = try StoreFixture()
        let bundles = try feed(node, count: 4)
        try node.store.receive(envelope: bundles[0].envelopeBytes)
        let derived = try node.store.database.read { db in
            try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
        }
        #expect(
            try node.store.receive(envelope: bundles[2].envelopeBytes)
                == .heldBack(bundles[2].id, seq: 3, waitingFor: 2))
        #expect(
            try node.store.receive(envelope: bundles[3].envelopeBytes)
                == .heldBack(bundles[3].id, seq: 4, waitingFor: 2))
        #expect(try node.store.receive(envelope: bundles[3].envelopeBytes) == .duplicate(bundles[3].id))
        // Held bundles are not applied: the derived tables are as they were after seq 1.
        #expect(
            try node.store.database.read { db in
                try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
            } == derived)
        #expect(try node.store.status().pendingBundles == 2)
        #expect(
            try node.store.receive(envelope: bundles[1].envelopeBytes) == .applied(bundles[1].id, seq: 2, drained: 2))
        let status = try node.store.status()
        #expect(status.feeds.first?.seq == 4 && status.pendingBundles == 0 && status.reports == 4)
    }

    @Test func aFeedHoldsBackOnlySoManyBundles() throws {
        var limits = BundleLimits.standard
        limits.maximumHeldPerFeed = 2
        let node = try StoreFixture(limits: limits)
        let bundles = try feed(node, count: 6)
        try node.store.receive(envelope: bundles[0].envelopeBytes)
        for index in 2...3 {
            #expect(
                try node.store.receive(envelope: bundles[index].envelopeBytes)
                    == .heldBack(bundles[index].id, seq: index + 1, waitingFor: 2))
        }
        let before = try node.dataChecksums()
        for index in 4...5 {
            #expect(throws: BundleRejection.self) { try node.store.receive(envelope: bundles[index].envelopeBytes) }
            do { try node.store.receive(envelope: bundles[index].envelopeBytes) } catch let rejection as BundleRejection
            {
                #expect(rejection.code == .heldLimit && rejection.message.contains("already holds 2"))
            }
        }
        #expect(try node.dataChecksums() == before, "a refused bundle changes nothing")
        let audited = try node.store.auditLog(limit: 100).filter { $0.reason == "held-limit" }
        #expect(audited.count == 4)
        // Once the gap fills, the refused bundles are accepted in order.
        #expect(
            try node.store.receive(envelope: bundles[1].envelopeBytes) == .applied(bundles[1].id, seq: 2, drained: 2))
        for index in 4...5 {
            #expect(
                try node.store.receive(envelope: bundles[index].envelopeBytes)
                    == .applied(bundles[index].id, seq: index + 1, drained: 0))
        }
        #expect(try node.store.status().feeds.first?.seq == 6)
    }

    @Test func anyArrivalOrderGivesTheSameState() throws {
        let reference = try StoreFixture()
        let bundles = try feed(reference, count: 12)
        for bundle in bundles { try reference.store.receive(envelope: bundle.envelopeBytes) }
        let expected = try reference.store.database.read { db in
            try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let node = try StoreFixture()
            // The same origin key as the reference, so the bundles verify here too.
            _ = try? node.store.setOriginStatus(
                node.alpha.originID, to: .revoked, reason: "replaced by the reference's alpha")
            _ = try node.store.addOrigin(name: "alpha-ref", publicKey: reference.alpha.publicKey)
            for bundle in bundles.shuffled(using: &rng) { try node.store.receive(envelope: bundle.envelopeBytes) }
            let state = try node.store.database.read { db in
                try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
            }
            #expect(state == expected)
            #expect(try node.store.status().feeds.first { $0.originName == "alpha-ref" }?.seq == 12)
        }
    }

    @Test func equivocationQuarantinesTheOriginAndKeepsBothBundles() throws {
        let node = try StoreFixture()
        let bundles = try feed(node, count: 2)
        for bundle in bundles { try node.store.receive(envelope: bundle.envelopeBytes) }
        // Alpha signs a different bundle for seq 2.
        let rival = node.alphaBundles(
            after: FeedPosition(seq: 1, id: bundles[0].id), cases: [],
            reports: [try StoreFixture.report("c1", "other.example.com")])[0]
        #expect(rival.payload.header.seq == 2 && rival.id != bundles[1].id)
        let derivedBefore = try node.store.database.read { db in
            try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
        }
        #expect(
            performing: { try node.store.receive(envelope: rival.envelopeBytes) },
            throws: { ($0 as? BundleRejection)?.code == .equivocation })
        let (status, proof) = try node.store.database.read { db in
            (
                try String.fetchOne(
                    db, sql: "SELECT status FROM origin WHERE id = ?", arguments: [node.alpha.originID.hex]),
                try Row.fetchOne(db, sql: "SELECT * FROM equivocation")
            )
        }
        #expect(status == "quarantined")
        #expect((proof?["held_bundle_id"] as String?) == bundles[1].id.hex)
        #expect((proof?["conflicting_envelope"] as Data?).map { Array($0) } == rival.envelopeBytes)
        #expect(
            try node.store.database.read { db in
                try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
            } == derivedBefore)
        // Its reports leave the merged view; its later bundles are refused.
        #expect(try node.store.sightings(of: try Indicator(kind: .domain, value: "d0.example.com")).isEmpty)
        #expect(
            try node.store.sightings(of: try Indicator(kind: .domain, value: "d0.example.com"), includeWithdrawn: true)
                .count == 1)
        let next = node.alphaBundles(
            after: FeedPosition(seq: 2, id: bundles[1].id), cases: [],
            reports: [try StoreFixture.report("c1", "later.example.com")])[0]
        try node.expectRejected(next.envelopeBytes, .quarantinedOrigin)
    }

    @Test func aForkedPrevIsEquivocation() throws {
        let node = try StoreFixture()
        let bundles = try feed(node, count: 1)
        try node.store.receive(envelope: bundles[0].envelopeBytes)
        // seq 2 whose prev names a bundle that is not our seq 1.
        let fork = node.alphaBundles(
            after: FeedPosition(seq: 1, id: BundleID(payload: [1, 2, 3])), cases: [],
            reports: [try StoreFixture.report("c1", "fork.example.com")])[0]
        #expect(
            performing: { try node.store.receive(envelope: fork.envelopeBytes) },
            throws: { ($0 as? BundleRejection)?.code == .equivocation })
        #expect(try node.store.status().equivocations == 1)
    }

    @Test func applyLandsWholeOrNotAtAll() throws {
        let node = try StoreFixture()
        let bundle = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(500))[0]
        // A real database failure in the middle of the transaction: the 300th report insert aborts.
        try node.store.database.write { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON report
                    WHEN (SELECT count(*) FROM report) >= 299
                    BEGIN SELECT RAISE(ABORT, 'simulated failure'); END
                    """)
        }
        let before = try node.store.checksums()
        #expect(throws: DatabaseError.self) { try node.store.receive(envelope: bundle.envelopeBytes) }
        #expect(try node.store.checksums() == before, "a failed apply left part of the bundle behind")
        try node.store.database.write { db in try db.execute(sql: "DROP TRIGGER fail_midway") }
        #expect(try node.store.receive(envelope: bundle.envelopeBytes) == .applied(bundle.id, seq: 1, drained: 0))
        #expect(try node.store.status().reports == 500)
    }
}

/// Many bundles in one transaction: each still lands whole or not at all, rejections are audited, and the result
/// equals applying them one by one.
@Suite struct BatchIntakeTests {
    @Test func aBatchEqualsOneByOneAndIsolatesRejections() throws {
        let single = try StoreFixture()
        var bundles: [SignedBundle] = []
        for index in 0..<5 {
            let head = bundles.last.map { FeedPosition(seq: $0.payload.header.seq, id: $0.id) }
            bundles += single.alphaBundles(
                after: head, cases: index == 0 ? [try StoreFixture.caseRecord("c1")] : [],
                reports: try StoreFixture.reports(20, prefix: "b\(index)-"))
        }
        var forged = bundles[1].envelope
        forged.payload[forged.payload.count / 2] ^= 0x01
        // seq 1, a forged copy of seq 2, seq 2, a replay of seq 1, seq 5 (gap), seq 4, seq 3 (fills the gap)
        let envelopes = [
            bundles[0].envelopeBytes, forged.jsonBytes, bundles[1].envelopeBytes, bundles[0].envelopeBytes,
            bundles[4].envelopeBytes, bundles[3].envelopeBytes, bundles[2].envelopeBytes,
        ]
        let auditBefore = try single.auditCount()
        let results = try single.store.receive(batch: envelopes)
        let ids = bundles.map(\.id)
        #expect(try results[0].get() == .applied(ids[0], seq: 1, drained: 0))
        #expect(results[1].failureCode == .badSignature)
        #expect(try results[2].get() == .applied(ids[1], seq: 2, drained: 0))
        #expect(try results[3].get() == .duplicate(ids[0]))
        #expect(try results[4].get() == .heldBack(ids[4], seq: 5, waitingFor: 3))
        #expect(try results[5].get() == .heldBack(ids[3], seq: 4, waitingFor: 3))
        #expect(try results[6].get() == .applied(ids[2], seq: 3, drained: 2))
        #expect(try single.store.status().reports == 100 && single.store.status().pendingBundles == 0)
        let rejected = try single.store.auditLog(limit: 50).filter { $0.outcome == "rejected" }
        #expect(rejected.count == 1 && rejected[0].reason == "bad-signature")
        #expect(try single.auditCount() > auditBefore)

        // The same bundles one by one at another node give the same derived tables.
        let other = try StoreFixture()
        _ = try other.store.addOrigin(name: "alpha-2", publicKey: single.alpha.publicKey)
        for bundle in bundles { try other.store.receive(envelope: bundle.envelopeBytes) }
        let derived = { (store: NodeStore) in
            try store.database.read { db in
                try Migrations.derivedTables.map { try TableChecksum.compute(db, table: $0) }
            }
        }
        #expect(try derived(single.store) == derived(other.store))
    }
}

extension Result where Failure == BundleRejection {
    var failureCode: BundleRejection.Code? {
        if case .failure(let rejection) = self { return rejection.code }
        return nil
    }
}
