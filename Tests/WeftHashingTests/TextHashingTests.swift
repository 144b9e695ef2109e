import Foundation
import Testing
import WeftCore

@testable import WeftHashing

/// Text normalisation, exact text hashes, keyed MinHash and LSH.
@Suite struct TextHashingTests {
    static let key = try! FederationKey(bytes: Array(0..<32))
    static let hasher = MinHasher(key: key)

    @Test(arguments: [
        ("Hello   WORLD!!", "hello world"),
        ("Ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ", "fullwidth text"),
        ("Straße", "strasse"),
        ("Read this https://example.com/a?b=c now", "read this now"),
        ("see hxxps://bad[.]example/x and www.example.org", "see and"),
        ("@someone said #Truth 🔥🔥", "said truth"),
        ("Skin tone 👍🏽 and flag 🇨🇳 gone", "skin tone and flag gone"),
        ("台湾是中国的一部分！😡", "台湾是中国的一部分"),
        ("สวัสดีครับ ทุกคน", "สวัสดีครับ ทุกคน"),
        ("line\nbreaks\tand\u{200B}zero-width", "line breaks andzero width"),
    ])
    func normalisation(input: String, expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func trivialEditsKeepTheExactHash() {
        let a = TextFingerprint(text: "Truth about the ELECTION!!! https://t.co/xyz 🔥", hasher: Self.hasher)
        let b = TextFingerprint(text: "truth about the election @bot", hasher: Self.hasher)
        #expect(a.sha256 == b.sha256)
        #expect(a.sha256 == Hex.sha256(Array("truth about the election".utf8)))
        #expect(a.minHash == b.minHash)
    }

    @Test func minHashIsKeyedAndEstimatesSimilarity() throws {
        let text = TextNormalizer.normalize(
            "the government must tell the people the truth about the virus and the vaccine")
        let edited = TextNormalizer.normalize("the government must tell people the truth about the virus and vaccine")
        let unrelated = TextNormalizer.normalize("farmers in the mountain villages sell rice at the local market")
        let signature = Self.hasher.signature(of: text)
        #expect(signature == Self.hasher.signature(of: text))
        #expect(signature.similarity(to: signature) == 1)
        #expect(signature.similarity(to: Self.hasher.signature(of: edited)) > 0.6)
        #expect(signature.similarity(to: Self.hasher.signature(of: unrelated)) < 0.1)
        let other = MinHasher(key: try FederationKey(bytes: Array(repeating: 9, count: 32)))
        #expect(other.signature(of: text).similarity(to: signature) < 0.1)
        #expect(MinHashSignature(hex: signature.hex) == signature)
        #expect(try Indicator(kind: .textMinHash, value: signature.hex).value.count == 1024)
    }

    @Test func shortAndEmptyTextsStillHaveSignatures() {
        #expect(Self.hasher.signature(of: "abc") == Self.hasher.signature(of: "abc"))
        #expect(Self.hasher.signature(of: "").values.count == 128)
    }

    @Test func editedCopiesAreFoundAndUnrelatedPostsAreNot() {
        // A fixed key and seed: the same corpus and signatures on every run.
        let corpus = EditedCopyCorpus(perLanguage: 300, seed: 7)
        let evaluation = NearDuplicateEvaluation(corpus: corpus, hasher: Self.hasher, thresholds: [0.5])
        let outcome = evaluation.outcomes[0]
        #expect(outcome.recall >= 0.97, "recall \(outcome.recall)")
        #expect(
            outcome.falsePositives == 0, "\(outcome.falsePositives) false positives in \(outcome.negativePairs) pairs")
        #expect(evaluation.recallByLanguage["zh"]! >= 0.95 && evaluation.recallByLanguage["en"]! >= 0.95)
    }

    @Test func corpusIsDeterministicForASeed() {
        let a = EditedCopyCorpus(perLanguage: 20, seed: 3).pairs.map { $0.original + "|" + $0.copy }
        let b = EditedCopyCorpus(perLanguage: 20, seed: 3).pairs.map { $0.original + "|" + $0.copy }
        #expect(a == b)
        #expect(a != EditedCopyCorpus(perLanguage: 20, seed: 4).pairs.map { $0.original + "|" + $0.copy })
    }
}
