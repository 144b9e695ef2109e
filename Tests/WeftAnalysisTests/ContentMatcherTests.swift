import Testing
import WeftCore
import WeftHashing
import WeftStore

@testable import WeftAnalysis

/// The matcher on a hand-built merged view: exact values, rotated pictures, edited texts, and organic content
/// that must not match.
@Suite struct ContentMatcherTests {
    static let hasher = MinHasher(key: try! FederationKey(bytes: Array(repeating: 9, count: 32)))
    static let original = "The Harbour Foundation hides the truth about the debt trap, share before they delete it"

    static func view() -> MergedView {
        let text = TextFingerprint(text: original, hasher: hasher)
        let picture = PDQHasher.hash(DihedralSearchTests.image(DihedralSearchTests.picture())).hash
        return OperationFinderTests.view([
            OperationFinderTests.report(0, .textSHA256, text.sha256),
            OperationFinderTests.report(0, .textMinHash, text.minHash.hex),
            OperationFinderTests.report(1, .pdq, picture.hex),
            OperationFinderTests.report(1, .hashtag, "debttrap"),
            // Spread among ordinary users: 512–1023 posting accounts, 2–3 of them flagged.
            OperationFinderTests.report(0, .domain, "popular-news.example", posting: 10, flagged: 2),
        ])
    }

    @Test func exactNearAndOrganicValues() {
        let view = Self.view()
        let operation = MergedOperation(
            id: "op-test", platforms: ["platform-0"],
            cases: [
                .init(
                    origin: "origin0", originName: "platform-0", channel: "federation", caseID: "case-0",
                    status: "confirmed")
            ],
            evidence: [], families: [], confidence: 1, firstSeen: "2026-03-23", lastSeen: "2026-03-30", timeline: [],
            labels: [], labelProfile: [:], schedule: nil, bestFitUTCOffset: nil)
        let matcher = ContentMatcher(view: view, operations: [operation])

        let edited = TextFingerprint(text: Self.original + " now!!", hasher: Self.hasher)
        let turned = DihedralSearchTests.image(DihedralSearchTests.rotated(DihedralSearchTests.picture()))
        let hits = matcher.match(
            exact: [
                .init(field: "text", kind: .textSHA256, value: edited.sha256),
                .init(field: "text", kind: .hashtag, value: "debttrap"),
                .init(field: "links", kind: .domain, value: "popular-news.example"),
            ],
            pictures: [("media[0]", PDQHasher.dihedralHashes(turned).hashes)],
            texts: [("text", edited.minHash)])

        #expect(!hits.contains { $0.kind == "domain" }, "content spread among ordinary users is not a hit")
        #expect(!hits.contains { $0.kind == "text.sha256" }, "the edited text is not the same text")
        let text = hits.first { $0.kind == "text.minhash" }
        #expect(text?.match == "minhash" && (text?.similarity ?? 0) >= 0.7 && text?.operations == ["op-test"])
        let picture = hits.first { $0.kind == "pdq" }
        #expect(picture?.field == "media[0]" && (picture?.distance ?? 99) <= 8 && picture?.transform != "original")
        #expect(picture?.operations == [], "case-1 is in no operation")
        let tag = hits.first { $0.kind == "hashtag" }
        #expect(tag?.match == "exact" && tag?.closeness == 1 && tag?.exclusivity == 1 && tag?.origins == ["platform-1"])
        #expect(matcher.match(exact: [.init(field: "text", kind: .hashtag, value: "unrelated")]).isEmpty)
    }
}
