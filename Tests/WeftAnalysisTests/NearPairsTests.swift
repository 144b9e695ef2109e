import Testing
import WeftHashing

@testable import WeftAnalysis

/// The batch near-pair finders return what a pair-by-pair check returns, in the same order; the radix sort they
/// rely on orders like the standard library's sort and keeps equal keys in place.
@Suite struct NearPairsTests {
    /// Signatures in families: each family's members copy a base signature and change some values, so that some
    /// pairs share a band and pass the threshold, some share a band and fail it, and most share nothing.
    static func signatures(count: Int, seed: UInt64) -> [MinHashSignature] {
        var random = SeededRandom(seed: seed)
        var bases: [MinHashSignature] = []
        var result: [MinHashSignature] = []
        for _ in 0..<count {
            if !bases.isEmpty && random.next() % 3 != 0 {
                var values = bases[Int(random.next() % UInt64(bases.count))].values
                for _ in 0..<Int(random.next() % 80) {
                    values[Int(random.next() % 128)] = UInt32.random(in: 0...9, using: &random)
                }
                result.append(MinHashSignature(values: values))
            } else {
                let base = MinHashSignature(values: (0..<128).map { _ in UInt32(truncatingIfNeeded: random.next()) })
                bases.append(base)
                result.append(base)
            }
        }
        return result
    }

    /// Whether two signatures have equal values in every row of some band.
    static func shareBand(_ a: MinHashSignature, _ b: MinHashSignature) -> Bool {
        (0..<MinHashLSH.bands).contains { band in
            (0..<MinHashLSH.rows).allSatisfy { row in
                a.values[band * MinHashLSH.rows + row] == b.values[band * MinHashLSH.rows + row]
            }
        }
    }

    @Test(arguments: [0.5, 0.7, 0.9])
    func minHashPairsEqualPairByPairCheck(threshold: Double) {
        let signatures = Self.signatures(count: 700, seed: 11)
        // Slots deliberately differ from positions, as item numbers do in a merge.
        let values = signatures.enumerated().map { (slot: 3 * $0.offset + 1, signature: $0.element) }
        var expected: [(Int, Int)] = []
        for first in values.indices {
            for second in (first + 1)..<values.count
            where Self.shareBand(values[first].signature, values[second].signature)
                && NearPairs.isSimilar(values[first].signature, values[second].signature, threshold: threshold)
            {
                expected.append((values[first].slot, values[second].slot))
            }
        }
        let found = NearPairs.minHash(values, threshold: threshold)
        #expect(expected.count > 50, "the data must hold near pairs for the comparison to mean anything")
        #expect(found.map { [$0.0, $0.1] } == expected.map { [$0.0, $0.1] })
    }

    /// Near copies whose changed values keep their low byte: the low-byte sketch sees no difference there, so
    /// only the full comparison can refuse them. The batch finder must still agree with the pair-by-pair check.
    @Test func minHashPairsAreExactWhenValuesDifferOnlyAboveTheLowByte() {
        var random = SeededRandom(seed: 23)
        let base = (0..<128).map { _ in UInt32(truncatingIfNeeded: random.next()) }
        let signatures = (0..<400).map { _ in
            var values = base
            for _ in 0..<Int(random.next() % 70) { values[Int(random.next() % 128)] ^= 0x100 << (random.next() % 24) }
            return MinHashSignature(values: values)
        }
        let values = signatures.enumerated().map { (slot: $0.offset, signature: $0.element) }
        var expected: [[Int]] = []
        for first in values.indices {
            for second in (first + 1)..<values.count
            where Self.shareBand(signatures[first], signatures[second])
                && NearPairs.isSimilar(signatures[first], signatures[second], threshold: 0.7)
            {
                expected.append([first, second])
            }
        }
        let found = NearPairs.minHash(values, threshold: 0.7).map { [$0.0, $0.1] }
        #expect(expected.count > 100 && expected.count < values.count * (values.count - 1) / 2)
        #expect(found == expected)
    }

    @Test func flatSignaturesParseTheWireFormAndSkipWhatDoesNotParse() {
        let signatures = Self.signatures(count: 5, seed: 3)
        var texts = signatures.map(\.hex)
        texts.insert("not hex", at: 2)
        texts.append(String(signatures[0].hex.dropLast(2)))
        var parsed: [Int] = []
        let flat = FlatSignatures(parsing: texts, parsed: &parsed)
        #expect(parsed == [0, 1, 3, 4, 5])
        #expect(flat.values == signatures.flatMap(\.values))
        #expect(FlatSignatures(signatures).values == flat.values)
    }

    /// Above a few thousand hashes the PDQ pairs come from the index, on all cores; they must be the pairs a
    /// pair-by-pair comparison finds, in the same order.
    @Test func pdqPairsFromTheIndexEqualPairByPairComparison() {
        var random = SeededRandom(seed: 31)
        let hashes = PDQIndexTests.families(count: 3_000, oneIn: 2, flips: 45, &random)
        let values = hashes.enumerated().map { (slot: 2 * $0.offset, hash: $0.element) }
        var expected: [[Int]] = []
        for first in values.indices {
            for second in (first + 1)..<values.count where hashes[first].distance(to: hashes[second]) <= 31 {
                expected.append([values[first].slot, values[second].slot])
            }
        }
        let found = NearPairs.pdq(values, distance: 31).map { [$0.0, $0.1] }
        #expect(expected.count > 500)
        #expect(found == expected)
    }

    @Test func minHashOfFewerThanTwoValuesIsEmpty() {
        let one = Self.signatures(count: 1, seed: 2).map { (slot: 0, signature: $0) }
        #expect(NearPairs.minHash(one, threshold: 0.5).isEmpty)
        #expect(NearPairs.minHash([], threshold: 0.5).isEmpty)
    }

    @Test(arguments: [0, 1, 2, 1_000, 100_000])
    func radixSortOrdersLikeTheStandardSortAndIsStable(count: Int) {
        var random = SeededRandom(seed: UInt64(count) + 5)
        // Few distinct keys, with high and low bits set, so that equal keys are common and every pass runs.
        let distinct = (0..<50).map { _ in random.next() }
        var keys = (0..<count).map { _ in distinct[Int(random.next() % 50)] }
        var order = (0..<count).map { UInt32($0) }
        let expected = zip(keys, order).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        RadixSort.sort(&keys, carrying: &order)
        #expect(keys == expected.map(\.0))
        #expect(order == expected.map(\.1))

        var alone = (0..<count).map { _ in random.next() >> (random.next() % 64) }
        let sorted = alone.sorted()
        RadixSort.sort(&alone)
        #expect(alone == sorted)
    }
}
