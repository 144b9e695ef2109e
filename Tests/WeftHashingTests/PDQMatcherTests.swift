import Foundation
import Testing

@testable import WeftHashing

/// The brute-force match table of Meta's regression needles against the haystack, reproduced exactly; and the
/// quality and degeneracy gates.
@Suite struct PDQMatcherTests {
    static func hashes(_ relative: String) throws -> [PDQHash] {
        let text = try String(contentsOfFile: TestData.path(relative), encoding: .utf8)
        return try text.split(whereSeparator: \.isNewline).map { line in
            // Lines may carry more fields after the hash; the hash is the first 64 hex digits.
            let hex = String(line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).first ?? "")
            return try #require(PDQHash(hex: hex), "bad hash line: \(line)")
        }
    }

    @Test func needlesAgainstHaystackMatchTheBruteForceTable() throws {
        let needles = try Self.hashes("pdq/source/pdq/data/reg-test-input/needles.txt")
        let haystack = try Self.hashes("pdq/source/pdq/data/reg-test-input/haystack.txt")
        let expected = try TestData.csv("pdq/expected_needles_vs_haystack.csv")
        #expect(needles.count == 100 && expected.count == 100)
        #expect(haystack.count == 1350)
        for row in expected {
            let index = Int(row["needle_index"]!)!
            #expect(needles[index].hex == row["needle_hex"])
            let distances = haystack.map { needles[index].distance(to: $0) }
            #expect(distances.min() == Int(row["min_distance"]!))
            for (threshold, column) in [(31, "haystack_indices_d_le_31"), (32, "haystack_indices_d_le_32")] {
                let found = distances.indices.filter { distances[$0] <= threshold }
                let listed = row[column]!.split(separator: " ").map { Int($0)! }
                #expect(found == listed, "needle \(index) at d ≤ \(threshold)")
                let matcher = PDQMatcher(maximumDistance: threshold)
                #expect(
                    haystack.indices.filter { matcher.match([needles[index]], against: haystack[$0]) != nil } == listed)
            }
        }
    }

    @Test func matchReportsTheClosestVariant() throws {
        let rows = try TestData.csv("pdq/expected_pdq.csv")
        let original = try #require(rows.first { $0["name"] == "bridge-1-original" })
        let variants = [
            "dih_orig", "dih_rot90", "dih_rot180", "dih_rot270", "dih_flipx", "dih_flipy", "dih_flipplus1",
            "dih_flipminus1",
        ].map { PDQHash(hex: original[$0]!)! }
        #expect(PDQMatcher().match(variants, against: variants[3])?.distance == 0)
        #expect(PDQMatcher().match(variants, against: variants[3])?.variant == .rotate270)
        #expect(PDQMatcher().match([variants[0]], against: variants[3]) == nil)
    }

    @Test func lowQualityAndDegenerateHashesAreRefused() throws {
        let matcher = PDQMatcher()
        let good = try #require(PDQHash(hex: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"))
        #expect(matcher.problem(good, quality: 100) == nil)
        #expect(matcher.problem(good, quality: 49)?.contains("quality 49") == true)
        #expect(matcher.problem(.zero, quality: 100)?.contains("all zeros") == true)
        let lopsided = PDQHash(words: (.max, .max, .max, 0))
        #expect(matcher.problem(lopsided, quality: 100)?.contains("192 of 256") == true)
    }
}
