import Foundation
import TestScratch
import Testing
import WeftCore
import WeftHashing
import WeftStore

@testable import WeftAnalysis

/// The incremental merge against the full rebuild: random arrival orders with retractions, and a real store
/// followed bundle by bundle through quarantine and a rebuild of its derived tables.
@Suite struct IncrementalMergeTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func randomArrivalOrdersWithRetractionsEqualARebuildAtEveryStep(seed: UInt64) throws {
        let scenario = try TinyScenario(seed: 21)
        let arrivals = RandomArrivals(scenario, seed: seed)
        let (cases, names) = (arrivals.cases, scenario.names)
        let trust = names.mapValues { _ in 1.0 }
        var merge = IncrementalMerge()
        var retractionsThatChangedSomething = 0
        for (step, arrival) in arrivals.steps.enumerated() {
            let before = merge.operations
            merge.apply(arrival.delta)
            let rebuilt = OperationFinder().operations(in: arrival.view)
            #expect(merge.operations == rebuilt, "seed \(seed), step \(step)")
            if arrival.retracts && before != merge.operations { retractionsThatChangedSomething += 1 }
        }
        #expect(!merge.operations.isEmpty)
        #expect(retractionsThatChangedSomething > 0)
        // Updates are partial: a case that links to nothing describes no operation again and changes none.
        let operations = merge.operations
        let loner = MergedView.CaseEntry(
            origin: cases[0].origin, channel: "federation", caseID: "loner", status: "suspected", labels: [],
            accountsBucket: 3)
        let described = merge.apply(
            MergedViewDelta(
                isComplete: false, originNames: names, trust: trust, cases: [loner],
                reports: [
                    .init(
                        id: "loner/1", caseKey: RandomArrivals.key(loner),
                        entry: .init(
                            caseIndex: -1, kind: .url, value: "https://nowhere.example/", firstSeen: "2026-03-23",
                            lastSeen: "2026-03-23", confidence: 50, accountsBucket: 3, flaggedBucket: 3))
                ]))
        #expect(described == 0)
        #expect(merge.operations == operations)
    }

    @Test func aStoreFollowedBundleByBundleEqualsARebuild() throws {
        let scenario = try TinyScenario(seed: 21)
        let folder = try TestScratch.directory("weft-incremental")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let nodeKey = OriginKey()
        let store = try NodeStore(path: folder + "/weft.sqlite", node: nodeKey.originID)
        _ = try store.addOrigin(name: "self", publicKey: nodeKey.publicKey, isSelf: true)
        var keys: [String: OriginKey] = [:]
        for platform in scenario.platforms {
            keys[platform.name] = OriginKey()
            _ = try store.addOrigin(name: platform.name, publicKey: keys[platform.name]!.publicKey)
        }
        var merge = IncrementalMerge()
        // Indicators reported in several cases, whose co-occurrence the merge answers as the store's query does.
        let spread = Dictionary(grouping: scenario.platforms.flatMap(\.reports), by: \.indicator)
            .filter { $0.value.count >= 3 }.keys.sorted().prefix(40)
        var cooccurrences = 0
        func followAndCompare(_ moment: String) throws {
            try merge.update(from: store)
            let rebuilt = OperationFinder().operations(in: try store.mergedView())
            #expect(merge.operations == rebuilt, "\(moment)")
            for indicator in spread {
                let expected = try store.cooccurring(with: indicator)
                #expect(
                    merge.cooccurring(with: indicator) == expected, "\(moment): \(indicator.kind) \(indicator.value)")
                cooccurrences += expected.count
            }
        }
        // Each platform's cases with half its reports, then the other halves in reverse platform order.
        for half in 0..<2 {
            for platform in half == 0 ? scenario.platforms : scenario.platforms.reversed() {
                let cut = platform.reports.count / 2
                let reports = half == 0 ? Array(platform.reports[..<cut]) : Array(platform.reports[cut...])
                _ = try store.publish(
                    Publication(
                        channel: .federation, audience: .federation, cases: half == 0 ? platform.cases : [],
                        reports: reports), key: keys[platform.name]!)
                try followAndCompare("after \(platform.name), half \(half)")
            }
        }
        #expect(!merge.operations.isEmpty)

        // Retractions: a whole case that is in an operation, and three reports of another platform.
        let operation = try #require(merge.operations.first)
        let victim = operation.cases[0]
        let owner = try #require(scenario.platforms.first { $0.name == victim.originName })
        _ = try store.publish(
            Publication(
                channel: .federation, audience: .federation, cases: [], reports: [],
                retractions: [Retraction(target: .caseID(try CaseID(victim.caseID)), reason: .falsePositive)]),
            key: keys[owner.name]!)
        try followAndCompare("after retracting case \(victim.caseID)")
        let other = try #require(scenario.platforms.first { $0.name != owner.name && !$0.reports.isEmpty })
        let origin = keys[other.name]!.originID
        _ = try store.publish(
            Publication(
                channel: .federation, audience: .federation, cases: [], reports: [],
                retractions: other.reports.prefix(3).map {
                    Retraction(target: .report($0.id(origin: origin, channel: .federation)), reason: .falsePositive)
                }), key: keys[other.name]!)
        try followAndCompare("after retracting three reports")

        // An origin quarantined and restored (the update starts over), and the derived tables rebuilt.
        try store.setOriginStatus(origin, to: .quarantined, reason: "test")
        try followAndCompare("quarantined")
        try store.setOriginStatus(origin, to: .active, reason: "test")
        try followAndCompare("restored")
        #expect(try store.verifyAndRebuild().rebuildMatches)
        try followAndCompare("after a rebuild of the derived tables")
        #expect(try merge.update(from: store) == 0)  // nothing new: nothing described again
        #expect(cooccurrences > 100, "the co-occurrences compared are not empty")
    }
}
