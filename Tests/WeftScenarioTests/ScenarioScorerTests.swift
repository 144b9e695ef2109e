import Testing

@testable import WeftScenario

/// The scorer on hand-built truth and answers whose scores are worked out by hand in each test.
@Suite struct ScenarioScorerTests {
    /// Two platforms. Operation A: a1 a2 (platform p, case c1) and a3 (platform q, case c3). Operation B: b1 b2
    /// (platform q, case c2). Ordinary accounts o1 o2 (platform p, case c4, both UTC+8) and o3 (platform q, case c5).
    static let truth = GroundTruth(
        tier: "hand", seed: 0, windowStart: "2026-03-23T00:00:00Z", days: 7,
        platforms: [
            PlatformTruth(
                name: "p", domain: "p.example", accounts: 100, organicUTC8: 10, flagsNothing: false,
                operationAccounts: ["A": ["a1", "a2", "a9"]],
                cases: ["c1": ["a1", "a2"], "c4": ["o1", "o2"]],
                roles: ["a1": "operation:A", "a2": "operation:A", "o1": "meme-sharer", "o2": "organic"],
                flaggedUTC8Organic: ["o1", "o2"], personalPhotos: []),
            PlatformTruth(
                name: "q", domain: "q.example", accounts: 100, organicUTC8: 10, flagsNothing: false,
                operationAccounts: ["A": ["a3"], "B": ["b1", "b2"]],
                cases: ["c3": ["a3"], "c2": ["b1", "b2"], "c5": ["o3"]],
                roles: ["a3": "operation:A", "b1": "operation:B", "b2": "operation:B", "o3": "syndicator"],
                flaggedUTC8Organic: [], personalPhotos: []),
        ],
        operations: [
            OperationTruth(id: "A", platforms: ["p", "q"], accounts: 4, labels: []),
            OperationTruth(id: "B", platforms: ["q"], accounts: 2, labels: []),
        ],
        hardNegatives: HardNegatives(
            mediaDigests: ["d1"], pdq: [String(repeating: "0", count: 64)], textSHA256: [],
            urls: ["https://news.example/a"], domains: ["news.example"], hashtags: ["#WorldCupFinal"]))

    static func reference(_ platform: String, _ caseID: String) -> OperationsAnswer.CaseReference {
        .init(originName: platform, caseID: caseID)
    }

    @Test func thePerfectAnswerScoresOne() {
        let answer = OperationsAnswer(operations: [
            .init(id: "x", cases: [Self.reference("p", "c1"), Self.reference("q", "c3")]),
            .init(id: "y", cases: [Self.reference("q", "c2")]),
        ])
        let score = ScenarioScorer(truth: Self.truth).score(answer)
        #expect(score.platformRecall == 1 && score.accountRecall == 1)
        #expect(score.clusterPrecision == 1 && score.weightedPrecision == 1)
        #expect(score.adjustedRandIndex == 1)
        #expect(score.organicContentClusters == 0 && score.organicUTC8FalsePositives == 0)
        #expect(score.operations.map(\.matchedBy) == ["x", "y"])
    }

    @Test func aSplitOperationLosesPlatformAndAccountRecall() {
        // A found as two pieces: x = {a1, a2} on p, z = {a3} on q. A's best match is x: 1 of 2 platforms, 2 of 3
        // accounts. B is flagged on one platform only, so it is left out of the means (and listed).
        let answer = OperationsAnswer(operations: [
            .init(id: "x", cases: [Self.reference("p", "c1")]),
            .init(id: "z", cases: [Self.reference("q", "c3")]),
            .init(id: "y", cases: [Self.reference("q", "c2")]),
        ])
        let score = ScenarioScorer(truth: Self.truth).score(answer)
        #expect(score.platformRecall == 0.5)
        #expect(abs(score.accountRecall - 2.0 / 3) < 1e-12)
        #expect(score.singlePlatformOperations == ["B"] && score.singlePlatformOperationsFound == ["B"])
        #expect(score.clusterPrecision == 1)
        // Universe of 8 accounts; truth blocks {a1 a2 a3} {b1 b2} + 3 singletons; answer {a1 a2} {a3} {b1 b2} + 3.
        // Pair counts: index = 1 + 1 = 2; truth pairs = 3 + 1 = 4; answer pairs = 1 + 1 = 2; total pairs 28.
        // expected = 4·2/28 = 2/7; maximum = 3; ARI = (2 − 2/7) / (3 − 2/7) = 12/19.
        #expect(abs(score.adjustedRandIndex - 12.0 / 19) < 1e-12)
        #expect(score.strata.map(\.name) == ["2-3"])
    }

    @Test func mergingTwoOperationsAndOrdinaryAccountsCostsPrecision() {
        // One cluster holds A (3 accounts), B (2) and the UTC+8 case c4 (2): majority A, p = 3/7.
        // Another holds only the syndicator: p = 1/1 by convention for an ordinary singleton, and it is organic.
        let answer = OperationsAnswer(operations: [
            .init(
                id: "big",
                cases: [
                    Self.reference("p", "c1"), Self.reference("q", "c3"), Self.reference("q", "c2"),
                    Self.reference("p", "c4"),
                ]),
            .init(
                id: "news", cases: [Self.reference("q", "c5")], evidence: [.init(kind: "domain", value: "news.example")]
            ),
        ])
        let score = ScenarioScorer(truth: Self.truth).score(answer)
        #expect(score.clusters[0].majority == "A")
        #expect(abs(score.clusters[0].precision - 3.0 / 7) < 1e-12)
        // Micro precision: (3 + 1) / (7 + 1) = 0.5. Weighted: (7·(3/7)² + 1·1²) / (7·3/7 + 1) = (9/7 + 1) / 4 = 4/7.
        #expect(score.clusterPrecision == 0.5)
        #expect(abs(score.weightedPrecision - 4.0 / 7) < 1e-12)
        #expect(score.organicContentClusters == 1)
        #expect(score.clusters[1].builtOnOrganicContent && score.clusters[1].hardNegativeEvidence == 1)
        // Two of the 20 ordinary UTC+8 accounts ended up in an operation.
        #expect(score.organicUTC8FalsePositives == 2 && score.organicUTC8FalsePositiveRate == 0.1)
        #expect(score.operations.map(\.matchedBy) == ["big", "big"])
    }

    @Test func evidenceThatIsMostlyMemesMarksAClusterEvenWhenItsAccountsAreAnOperation() {
        let meme = "0000000000000000000000000000000000000000000000000000000000000007"  // distance 3 from the meme
        let answer = OperationsAnswer(operations: [
            .init(
                id: "x", cases: [Self.reference("p", "c1")],
                evidence: [
                    .init(kind: "pdq", value: meme), .init(kind: "hashtag", value: "worldcupfinal"),
                    .init(kind: "url", value: "https://op.example/1"),
                ])
        ])
        let score = ScenarioScorer(truth: Self.truth).score(answer)
        #expect(abs((score.clusters[0].hardNegativeEvidence ?? 0) - 2.0 / 3) < 1e-12)
        #expect(score.clusters[0].builtOnOrganicContent)
    }

    @Test func unknownCasesAreCountedAndUnflaggedOperationsLeftOutOfTheMeans() {
        var truth = Self.truth
        truth.operations.append(OperationTruth(id: "C", platforms: ["p"], accounts: 5, labels: []))
        let answer = OperationsAnswer(operations: [
            .init(id: "x", cases: [Self.reference("p", "c1"), Self.reference("q", "c3"), Self.reference("r", "c9")])
        ])
        let score = ScenarioScorer(truth: truth).score(answer)
        #expect(score.unknownCases == 1)
        #expect(score.unreachableOperations == ["C"])
        #expect(score.platformRecall == 1)  // A found whole; B (one platform) and C (none) left out.
        #expect(score.singlePlatformOperations == ["B"] && score.singlePlatformOperationsFound.isEmpty)
    }

    @Test func adjustedRandIndexMatchesWorkedExamples() {
        #expect(AdjustedRandIndex.of([0, 0, 1, 1], [5, 5, 9, 9]) == 1)
        // Contingency (0,0):2 (1,0):1 (1,1):1 → index 1, row pairs 2, column pairs 3, expected 1, maximum 2.5.
        #expect(AdjustedRandIndex.of([0, 0, 1, 1], [0, 0, 0, 1]) == 0)
        #expect(AdjustedRandIndex.of([1, 2, 3], [4, 5, 6]) == 1)
    }
}
