import Foundation
import Testing
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

@testable import WeftAnalysis

/// The merge on hand-built merged views whose right answer is plain, and on a simulated scenario in random orders.
@Suite struct OperationFinderTests {
    /// A report of `kind`/`value` in case `caseIndex`, posted by accounts in bucket `posting`, `flagged` of them
    /// flagged.
    static func report(
        _ caseIndex: Int, _ kind: IndicatorKind, _ value: String, posting: Int = 2, flagged: Int = 2
    )
        -> MergedView.ReportEntry
    {
        .init(
            caseIndex: caseIndex, kind: kind, value: value, firstSeen: "2026-03-23", lastSeen: "2026-03-30",
            confidence: 80, accountsBucket: posting, flaggedBucket: flagged)
    }

    /// Two cases on two platforms, of `sizes` (log₂ buckets of accounts), with `reports`.
    static func view(sizes: [Int] = [3, 2], _ reports: [MergedView.ReportEntry]) -> MergedView {
        let cases = sizes.enumerated().map { index, bucket in
            MergedView.CaseEntry(
                origin: "origin\(index)", channel: "federation", caseID: "case-\(index)", status: "confirmed",
                labels: ["killchain:6.1.3"], accountsBucket: bucket)
        }
        let names = Dictionary(uniqueKeysWithValues: cases.map { ($0.origin, "platform-\($0.origin.suffix(1))") })
        return MergedView(cases: cases, reports: reports, originNames: names, trust: names.mapValues { _ in 1 })
    }

    static let url = "https://op-voice.example/2026/a1"
    static let text = String(repeating: "ab", count: 32)

    @Test func twoFamiliesOfExclusiveEvidenceMakeAnOperation() {
        let operations = OperationFinder().operations(
            in: Self.view([
                Self.report(0, .url, Self.url), Self.report(1, .url, Self.url),
                Self.report(0, .textSHA256, Self.text), Self.report(1, .textSHA256, Self.text),
            ]))
        #expect(operations.count == 1)
        #expect(operations.first?.cases.map(\.caseID) == ["case-0", "case-1"])
        #expect(operations.first?.families == ["link", "text"])
        #expect(operations.first?.platforms == ["platform-0", "platform-1"])
    }

    /// Two communities of three cases, each sharing twelve items, joined by one pair of cases that share a single
    /// post (its text and its link): a weak bridge, cut; with cutting off, one operation.
    @Test func aWeakBridgeBetweenTwoStrongCommunitiesIsCut() {
        var reports: [MergedView.ReportEntry] = []
        for (community, members) in [[0, 1, 2], [3, 4, 5]].enumerated() {
            for item in 0..<6 {
                for member in members {
                    reports.append(Self.report(member, .textSHA256, "c\(community)-text-\(item)"))
                    reports.append(Self.report(member, .url, "https://c\(community).example/\(item)"))
                }
            }
        }
        for member in [2, 3] {
            reports.append(Self.report(member, .textSHA256, "bridge-text"))
            reports.append(Self.report(member, .url, "https://bridge.example/post"))
        }
        let view = Self.view(sizes: [3, 3, 3, 3, 3, 3], reports)
        let split = OperationFinder().operations(in: view)
        #expect(
            split.map { $0.cases.map(\.caseID) } == [["case-0", "case-1", "case-2"], ["case-3", "case-4", "case-5"]])
        var policy = MergePolicy()
        policy.bridgeRatio = 0
        #expect(OperationFinder(policy: policy).operations(in: view).map(\.cases.count) == [6])

        // A strong link between the communities (as strong as their own) is not cut.
        for item in 0..<5 {
            for member in [2, 3] {
                reports.append(Self.report(member, .textSHA256, "shared-text-\(item)"))
                reports.append(Self.report(member, .url, "https://shared.example/\(item)"))
            }
        }
        #expect(
            OperationFinder().operations(in: Self.view(sizes: [3, 3, 3, 3, 3, 3], reports)).map(\.cases.count) == [6])
    }

    @Test func oneFamilyAloneIsNotEnough() {
        let urls = (0..<4).flatMap { number in
            [Self.report(0, .url, Self.url + "\(number)"), Self.report(1, .url, Self.url + "\(number)")]
        }
        #expect(OperationFinder().operations(in: Self.view(urls)).isEmpty)
    }

    @Test func contentThatSpreadsBeyondFlaggedAccountsLinksNothing() {
        // Posted by 32–63 accounts on each platform, one of them flagged: a meme, not an operation's content.
        let operations = OperationFinder().operations(
            in: Self.view([
                Self.report(0, .url, Self.url, posting: 6, flagged: 2),
                Self.report(1, .url, Self.url, posting: 6, flagged: 2),
                Self.report(0, .textSHA256, Self.text, posting: 6, flagged: 2),
                Self.report(1, .textSHA256, Self.text, posting: 6, flagged: 2),
            ]))
        #expect(operations.isEmpty)
    }

    @Test func casesOfOneAccountEachAreOneVoiceNotAnOperation() {
        let reports = [
            Self.report(0, .url, Self.url), Self.report(1, .url, Self.url), Self.report(0, .textSHA256, Self.text),
            Self.report(1, .textSHA256, Self.text),
        ]
        #expect(OperationFinder().operations(in: Self.view(sizes: [1, 1], reports)).isEmpty)
        #expect(OperationFinder().operations(in: Self.view(sizes: [1, 2], reports)).count == 1)
    }

    @Test func anItemOneAccountPostedOnEachPlatformIsCoincidence() {
        // Flagged bucket 1 (one account) on each of two platforms: support 2, below the policy's 3.
        let operations = OperationFinder().operations(
            in: Self.view([
                Self.report(0, .url, Self.url, posting: 1, flagged: 1),
                Self.report(1, .url, Self.url, posting: 1, flagged: 1),
                Self.report(0, .hashtag, "exposetruth", posting: 1, flagged: 1),
                Self.report(1, .hashtag, "exposetruth", posting: 1, flagged: 1),
            ]))
        #expect(operations.isEmpty)
    }

    @Test func editedCopiesLinkThroughTheirMinHashes() {
        let original = MinHashSignature(values: (0..<128).map { UInt32($0 * 7919) })
        var edited = original
        for index in 0..<10 { edited.values[index] &+= 1 }  // estimated Jaccard 118/128
        let unrelated = MinHashSignature(values: (0..<128).map { UInt32($0 * 104_729 + 13) })
        let shared = [Self.report(0, .url, Self.url), Self.report(1, .url, Self.url)]
        let near = OperationFinder().operations(
            in: Self.view(
                shared + [Self.report(0, .textMinHash, original.hex), Self.report(1, .textMinHash, edited.hex)]))
        #expect(near.count == 1 && near.first?.families.contains("text") == true)
        let far = OperationFinder().operations(
            in: Self.view(
                shared + [Self.report(0, .textMinHash, original.hex), Self.report(1, .textMinHash, unrelated.hex)]))
        #expect(far.isEmpty)
    }

    @Test func aSimulatedScenarioGivesTheSameOperationsInAnyOrder() throws {
        let scenario = try TinyScenario(seed: 21)
        let truth = scenario.truth
        let (cases, entries) = scenario.all
        let reports = entries.map(\.entry)
        let names = scenario.names
        let trust = names.mapValues { _ in 1.0 }
        let reference = OperationFinder().operations(
            in: MergedView(cases: cases, reports: reports, originNames: names, trust: trust))
        #expect(!reference.isEmpty)

        var random = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            // The same cases and reports arriving in another order: cases renumbered, reports shuffled.
            let order = cases.indices.shuffled(using: &random)
            var position = [Int](repeating: 0, count: cases.count)
            for (new, old) in order.enumerated() { position[old] = new }
            let shuffledReports = reports.shuffled(using: &random).map { report -> MergedView.ReportEntry in
                var moved = report
                moved.caseIndex = position[report.caseIndex]
                return moved
            }
            let again = OperationFinder().operations(
                in: MergedView(
                    cases: order.map { cases[$0] }, reports: shuffledReports, originNames: names, trust: trust))
            // Everything, down to evidence order, weights and confidence: sums are fixed point, ties are broken.
            #expect(again == reference)
        }

        // And the operations score well against the truth: no organic clusters, high precision.
        let answer = try JSONDecoder().decode(
            OperationsAnswer.self, from: try JSONEncoder().encode(["operations": reference]))
        let score = ScenarioScorer(truth: truth).score(answer)
        #expect(score.organicContentClusters == 0)
        // A tiny scenario has few cases, so one ordinary account mixed into a flagged case moves precision a lot.
        #expect(score.clusterPrecision >= 0.85, "precision \(score.clusterPrecision)")
    }
}

/// Exhaustive near-duplicate look-ups over a merged view.
@Suite struct IndicatorSearchTests {
    @Test func pdqSearchFindsEveryReportedHashWithinTheDistanceNearestFirst() throws {
        let query = try #require(PDQHash(hex: String(repeating: "0", count: 64)))
        let near = String(repeating: "0", count: 62) + "0f"  // distance 4
        let edge = String(repeating: "0", count: 56) + "ffffffff"  // distance 32
        let view = OperationFinderTests.view([
            OperationFinderTests.report(0, .pdq, near), OperationFinderTests.report(1, .pdq, near),
            OperationFinderTests.report(1, .pdq, edge),
        ])
        let matches = IndicatorSearch(view: view).pdq(query, maximumDistance: 31)
        #expect(matches.map(\.value) == [near])
        #expect(matches.first?.distance == 4 && matches.first?.cases.map(\.caseID) == ["case-0", "case-1"])
        #expect(IndicatorSearch(view: view).pdq(query, maximumDistance: 32).map(\.distance) == [4, 32])
    }

    @Test func textSearchFindsTheExactNormalFormAndEditedCopies() throws {
        let hasher = MinHasher(key: try FederationKey(bytes: Array(repeating: 3, count: 32)))
        let original = "The Harbour Foundation lies about the debt trap, again and again, every single day"
        let edited = "The Harbour Foundation lies about the debt trap, again and again, every day!!"
        let unrelated = "Lovely weather at the beach with the kids this weekend, the water was warm"
        let reports = [original, edited, unrelated].enumerated().flatMap { index, text in
            let fingerprint = TextFingerprint(text: text, hasher: hasher)
            return [
                OperationFinderTests.report(index % 2, .textSHA256, fingerprint.sha256),
                OperationFinderTests.report(index % 2, .textMinHash, fingerprint.minHash.hex),
            ]
        }
        let matches = IndicatorSearch(view: OperationFinderTests.view(reports))
            .text(TextFingerprint(text: original.uppercased(), hasher: hasher), minimumSimilarity: 0.6)
        #expect(matches.filter { $0.kind == "text.sha256" }.count == 1)
        let similar = matches.filter { $0.kind == "text.minhash" }
        #expect(similar.count == 2, "the original's and the edited copy's signatures")
        #expect(similar.first?.similarity == 1)
    }
}
