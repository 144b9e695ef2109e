import Testing
import WeftCore
import WeftHashing
import WeftStore

@testable import WeftAnalysis

/// Questions answered from the incremental merge's state against scans of the merged view it stands for, after
/// every delivery of a random arrival order with retractions: the same near copies, distances, similarities and
/// reporting cases, and the same operation details.
@Suite struct LiveSearchTests {
    @Test(arguments: [UInt64(5), 6])
    func answersFromTheMergeEqualScansOfTheViewAfterEveryDelivery(seed: UInt64) throws {
        let scenario = try TinyScenario(seed: 4)
        let arrivals = RandomArrivals(scenario, seed: seed)
        let everyReport = scenario.all.reports.map(\.entry)
        let pictures = Array(Set(everyReport.filter { $0.kind == .pdq }.map(\.value))).sorted()
            .compactMap(PDQHash.init(hex:))
        let texts = Array(Set(everyReport.filter { $0.kind == .textMinHash }.map(\.value))).sorted()
            .compactMap(MinHashSignature.init(hex:))
        #expect(pictures.count > 20 && texts.count > 20, "the scenario reports pictures and texts")
        var random = SeededRandom(seed: seed)
        var merge = IncrementalMerge()
        var found = (pictures: 0, texts: 0, details: 0)
        var retractedMatchesGone = false
        for (step, arrival) in arrivals.steps.enumerated() {
            merge.apply(arrival.delta)
            // The exact text tables built part way, so later questions read tables and the signatures past them.
            if step == 3 || step == 15 { merge.prepareTextSearch(minimumTail: 1) }
            let scan = IndicatorSearch(view: arrival.view)
            for hash in pictures.shuffled(using: &random).prefix(3) {
                let query = ViewIndexTests.flipped(hash, bits: random.int(in: 0...40), using: &random)
                for distance in [0, 8, 31, 50] {
                    let expected = scan.pdq(query, maximumDistance: distance)
                    #expect(merge.pdq(query, maximumDistance: distance) == expected, "step \(step), d \(distance)")
                    found.pictures += expected.isEmpty ? 0 : 1
                }
            }
            for signature in texts.shuffled(using: &random).prefix(3) {
                var values = signature.values
                for _ in 0..<random.int(in: 0...60) {
                    values[random.int(in: 0...127)] = UInt32(random.int(in: 0...1_000))
                }
                let query = MinHashSignature(values: values)
                for similarity in [0.3, 0.7, 0.9, 1.0] {
                    let expected = scan.minHash(query, minimumSimilarity: similarity)
                    #expect(
                        merge.minHash(query, minimumSimilarity: similarity) == expected, "step \(step), s \(similarity)"
                    )
                    found.texts += expected.isEmpty ? 0 : 1
                }
            }
            for operation in merge.operations {
                #expect(merge.detail(of: operation) == OperationDetail(operation: operation, view: arrival.view))
                found.details += 1
            }
            // A value whose every report was retracted is not found any more, although the merge still holds it.
            if arrival.retracts {
                let held = Set(arrival.view.reports.map(\.value))
                for hash in pictures where !held.contains(hash.hex) {
                    #expect(merge.pdq(hash, maximumDistance: 0).isEmpty)
                    retractedMatchesGone = true
                }
            }
        }
        #expect(found.pictures > 50 && found.texts > 50 && found.details > 20, "equality is not of empty answers")
        #expect(retractedMatchesGone, "some picture lost all its reports on the way")
    }
}
