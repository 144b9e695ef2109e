import Testing
import WeftCore
import WeftHashing
import WeftStore

@testable import WeftAnalysis

/// The analyst API's indexed look-ups against scans of every report, on a simulated scenario: the same matches,
/// distances, similarities and reporting cases, and the same operation details.
@Suite struct ViewIndexTests {
    static func view(seed: UInt64) throws -> MergedView {
        let scenario = try TinyScenario(seed: seed)
        let (cases, reports) = scenario.all
        let names = scenario.names
        return MergedView(
            cases: cases, reports: reports.map(\.entry), originNames: names, trust: names.mapValues { _ in 1 })
    }

    @Test func pdqSearchesThroughTheIndexEqualScans() throws {
        let view = try Self.view(seed: 4)
        let (scan, indexed) = (IndicatorSearch(view: view), IndicatorSearch(indexing: view))
        let reported = view.reports.filter { $0.kind == .pdq }.compactMap { PDQHash(hex: $0.value) }
        #expect(reported.count > 20, "the scenario reports pictures")
        var random = SeededRandom(seed: 11)
        var nonEmpty = 0
        for hash in reported.prefix(60) {
            // Queries near a reported hash, at distances around the threshold, and far ones.
            let query = Self.flipped(hash, bits: random.int(in: 0...40), using: &random)
            for distance in [0, 8, 31, 50] {
                let expected = scan.pdq(query, maximumDistance: distance)
                #expect(indexed.pdq(query, maximumDistance: distance) == expected)
                if !expected.isEmpty { nonEmpty += 1 }
            }
        }
        #expect(nonEmpty > 30, "many queries find something, so equality is not of empty lists")
    }

    @Test func textSearchesThroughTheIndexEqualScans() throws {
        let view = try Self.view(seed: 4)
        let (scan, indexed) = (IndicatorSearch(view: view), IndicatorSearch(indexing: view))
        let signatures = view.reports.filter { $0.kind == .textMinHash }.compactMap {
            MinHashSignature(hex: $0.value)
        }
        let digests = view.reports.filter { $0.kind == .textSHA256 }.map(\.value)
        #expect(signatures.count > 20 && !digests.isEmpty, "the scenario reports texts")
        var random = SeededRandom(seed: 12)
        let hasher = MinHasher(key: try FederationKey(bytes: Array(repeating: 9, count: 32)))
        var nonEmpty = 0
        for (number, signature) in signatures.prefix(60).enumerated() {
            var values = signature.values
            for _ in 0..<random.int(in: 0...60) { values[random.int(in: 0...127)] = UInt32(random.int(in: 0...1_000)) }
            let query = MinHashSignature(values: values)
            for similarity in [0.3, 0.7, 0.9, 1.0] {
                let expected = scan.minHash(query, minimumSimilarity: similarity)
                #expect(indexed.minHash(query, minimumSimilarity: similarity) == expected)
                if !expected.isEmpty { nonEmpty += 1 }
            }
            var fingerprint = TextFingerprint(text: "any", hasher: hasher)
            fingerprint.sha256 = digests[number % digests.count]
            fingerprint.minHash = query
            #expect(
                indexed.text(fingerprint, minimumSimilarity: 0.7) == scan.text(fingerprint, minimumSimilarity: 0.7))
        }
        #expect(nonEmpty > 60, "many queries find something, so equality is not of empty lists")
    }

    @Test func operationDetailsThroughTheIndexEqualScans() throws {
        let view = try Self.view(seed: 4)
        let operations = OperationFinder().operations(in: view)
        #expect(!operations.isEmpty)
        let indexed = IndicatorSearch(indexing: view)
        for operation in operations {
            let expected = OperationDetail(operation: operation, view: view)
            #expect(!expected.activity.isEmpty)
            #expect(OperationDetail(operation: operation, search: indexed) == expected)
        }
    }

    static func flipped(_ hash: PDQHash, bits: Int, using random: inout SeededRandom) -> PDQHash {
        var bytes = Hex.decode(hash.hex)!
        for _ in 0..<bits {
            let bit = random.int(in: 0...255)
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        }
        return PDQHash(hex: Hex.encode(bytes))!
    }
}
