import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// Retractions, the rebuild from bundles alone, publishing and dry runs.
@Suite struct RebuildAndRetractionTests {
    @Test func retractionsRemoveReportsAndCasesFromTheMergedView() throws {
        let node = try StoreFixture()
        let reports = try StoreFixture.reports(3) + [try StoreFixture.report("c2", "other.example.com")]
        let first = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1"), try StoreFixture.caseRecord("c2")], reports: reports)[0]
        try node.store.receive(envelope: first.envelopeBytes)
        #expect(try node.store.status().reports == 4)
        #expect(try node.store.status().reportsRetracted == 0)
        let reportID = reports[0].id(origin: node.alpha.originID, channel: .federation)
        let second = node.alphaBundles(
            after: FeedPosition(seq: 1, id: first.id), cases: [], reports: [],
            retractions: [
                Retraction(target: .report(reportID), reason: .falsePositive),
                Retraction(target: .caseID(try CaseID("c2")), reason: .legal),
            ])[0]
        try node.store.receive(envelope: second.envelopeBytes)
        // Status counts are kept between bundles; a new bundle (here with retractions) counts them again, and they
        // equal a count made without the partial index on retracted reports.
        let status = try node.store.status()
        #expect(status.reportsRetracted == 2 && status.reports == 4 && status.bundles == 2)
        let scanned = try node.store.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM report NOT INDEXED WHERE retracted_by IS NOT NULL")
        }
        #expect(scanned == 2)
        #expect(try node.store.sightings(of: reports[0].indicator).isEmpty)
        #expect(
            try node.store.sightings(of: reports[0].indicator, includeWithdrawn: true).first?.retractedBy
                == second.id.hex)
        #expect(try node.store.sightings(of: reports[1].indicator).count == 1)
        #expect(try node.store.sightings(of: reports[3].indicator).isEmpty)  // its case was retracted
        // A report on a retracted case is refused.
        let late = node.alphaBundles(
            after: FeedPosition(seq: 2, id: second.id), cases: [],
            reports: [try StoreFixture.report("c2", "late.example.com")])[0]
        try node.expectRejected(late.envelopeBytes, .invalidRecord)
        #expect(try node.store.verifyAndRebuild().isClean)
    }

    @Test func rebuildFromBundlesEqualsTheIncrementalState() throws {
        let node = try StoreFixture()
        var head: FeedPosition?
        for round in 0..<5 {
            let bundles = node.alphaBundles(
                after: head, cases: [try StoreFixture.caseRecord("c\(round)")],
                reports: try StoreFixture.reports(50, caseID: "c\(round)", prefix: "r\(round)-"))
            for bundle in bundles { try node.store.receive(envelope: bundle.envelopeBytes) }
            head = FeedPosition(seq: bundles.last!.payload.header.seq, id: bundles.last!.id)
        }
        let own = try node.store.publish(
            Publication(
                channel: .federation, audience: .federation,
                cases: [try StoreFixture.caseRecord("mine")],
                reports: try StoreFixture.reports(10, caseID: "mine")), key: node.nodeKey)
        #expect(own.count == 1)
        let report = try node.store.verifyAndRebuild()
        #expect(report.bundlesChecked == 6 && report.failures.isEmpty)
        #expect(report.rebuildMatches)
        #expect(report.incremental["report"] == report.rebuilt["report"])
        #expect(try node.store.status().reports == 260)
    }

    @Test func verifyFindsATamperedStoredBundle() throws {
        let node = try StoreFixture()
        let bundle = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(2))[0]
        try node.store.receive(envelope: bundle.envelopeBytes)
        var envelope = bundle.envelope
        envelope.payload[envelope.payload.count / 2] ^= 0x01
        try node.store.database.write { db in
            try db.execute(sql: "UPDATE bundle SET envelope = ?", arguments: [Data(envelope.jsonBytes)])
        }
        let report = try node.store.verifyAndRebuild()
        #expect(report.failures.count == 1)
        #expect(!report.rebuildMatches)
        #expect(!report.isClean)
    }

    @Test func publishRefusesBadReferencesAndChangesNothing() throws {
        let node = try StoreFixture()
        let before = try node.dataChecksums()
        #expect(
            performing: {
                try node.store.publish(
                    Publication(
                        channel: .federation, audience: .federation, cases: [],
                        reports: [try StoreFixture.report("undeclared", "example.com")]), key: node.nodeKey)
            }, throws: { ($0 as? BundleRejection)?.code == .invalidRecord })
        #expect(try node.dataChecksums() == before)
    }

    @Test func publishingManyBundlesIsAtomic() throws {
        let node = try StoreFixture()
        // 2,500 reports make 3 bundles; the last carries a retraction of an unknown case, so it fails, and so must
        // the two before it.
        let before = try node.dataChecksums()
        #expect(throws: BundleRejection.self) {
            try node.store.publish(
                Publication(
                    channel: .federation, audience: .federation,
                    cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(2_500),
                    retractions: [Retraction(target: .caseID(try CaseID("nope")), reason: .expired)]),
                key: node.nodeKey)
        }
        #expect(try node.dataChecksums() == before)
    }

    @Test func dryRunChangesNothingAndMatchesRealApply() throws {
        let node = try StoreFixture()
        var bundles = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(2_100))
        bundles.append(contentsOf: [bundles[0]])  // a replay
        let envelopes = bundles.map(\.envelopeBytes) + [Array("junk".utf8)]
        let before = try node.store.checksums()
        let dry = try node.store.dryRun(envelopes: envelopes)
        #expect(try node.store.checksums() == before)
        #expect(dry.count == 5)
        var real: [Result<IntakeOutcome, BundleRejection>] = []
        for envelope in envelopes {
            do { real.append(.success(try node.store.receive(envelope: envelope))) } catch let rejection
                as BundleRejection
            {
                real.append(.failure(rejection))
            }
        }
        #expect(dry.map { (try? $0.get())?.bundleID } == real.map { (try? $0.get())?.bundleID })
        #expect(dry.map { (try? $0.get()) == nil } == [false, false, false, false, true])
    }
}
