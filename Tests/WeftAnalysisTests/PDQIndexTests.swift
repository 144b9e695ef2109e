import Testing
import WeftAnalysis
import WeftCore
import WeftHashing
import WeftStore

/// Multi-index hashing returns exactly what a brute-force scan returns, at every radius, on data with many near
/// copies (where the pigeonhole bound is tight and hashes are found from several chunks).
@Suite struct PDQIndexTests {
    static func flipped(_ hash: PDQHash, _ bits: Int, _ random: inout SeededRandom) -> PDQHash {
        var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
        var chosen: Set<Int> = []
        while chosen.count < bits { chosen.insert(Int(random.next() % 256)) }
        for bit in chosen { words[bit / 64] ^= 1 << UInt64(bit % 64) }
        return PDQHash(words: (words[0], words[1], words[2], words[3]))
    }

    /// `count` hashes: after the first, each is with probability 1 / `oneIn` a copy of an earlier one with fewer
    /// than `flips` bits flipped, else random.
    static func families(count: Int, oneIn: UInt64, flips: UInt64, _ random: inout SeededRandom) -> [PDQHash] {
        var hashes: [PDQHash] = []
        for index in 0..<count {
            if index > 0 && random.next() % oneIn == 0 {
                hashes.append(flipped(hashes[Int(random.next() % UInt64(index))], Int(random.next() % flips), &random))
            } else {
                hashes.append(PDQHash(words: (random.next(), random.next(), random.next(), random.next())))
            }
        }
        return hashes
    }

    @Test(arguments: [0, 1, 15, 16, 17, 31, 32, 40, 47, 48, 70])
    func searchEqualsBruteForce(radius: Int) {
        var random = SeededRandom(seed: 7)
        var hashes = Self.families(count: 4_000, oneIn: 3, flips: 50, &random)
        hashes.append(hashes[10])  // an exact duplicate: both ids must come back
        let index = PDQIndex(hashes)
        #expect(index.count == hashes.count)
        var total = 0
        for number in 0..<300 {
            let query =
                number % 3 == 2
                ? PDQHash(words: (random.next(), random.next(), random.next(), random.next()))
                : Self.flipped(hashes[Int(random.next() % UInt64(hashes.count))], Int(random.next() % 60), &random)
            let fast = index.search(query, maximumDistance: radius).sorted { $0.id < $1.id }
            let slow = index.bruteForce(query, maximumDistance: radius).sorted { $0.id < $1.id }
            #expect(fast.map(\.id) == slow.map(\.id))
            #expect(fast.map(\.distance) == slow.map(\.distance))
            let after = Int(random.next() % UInt64(hashes.count))
            let later = index.search(query, maximumDistance: radius, after: after).map(\.id).sorted()
            #expect(later == slow.map(\.id).filter { $0 > after })
            total += fast.count
        }
        if radius >= 16 { #expect(total > 50, "the queries must actually find things") }
        let duplicate = index.search(hashes[10], maximumDistance: radius).map(\.id)
        #expect(duplicate.contains(10) && duplicate.contains(hashes.count - 1))
    }

    @Test func anEmptyIndexFindsNothing() {
        #expect(PDQIndex([]).search(.zero, maximumDistance: 31).isEmpty)
    }
}

/// `IndicatorSearch.pdq(dihedral:)`: a rotated or mirrored copy of a reported picture is found, with the variant.
@Suite struct DihedralSearchTests {
    /// An asymmetric picture: a diagonal gradient, a bright block in one corner, stripes along one edge.
    static func picture(size: Int = 96) -> [[UInt8]] {
        (0..<size).map { y in
            (0..<size).map { x in
                if x < size / 3 && y < size / 4 { return 250 }
                if y > size - 12 && x % 8 < 4 { return 20 }
                return UInt8((x * 2 + y) * 255 / (size * 3))
            }
        }
    }

    static func image(_ gray: [[UInt8]]) -> RGBImage {
        let pixels = gray.flatMap { row in row.flatMap { [$0, $0, $0] } }
        return RGBImage(width: gray[0].count, height: gray.count, pixels: pixels)
    }

    /// Rotated 90° clockwise.
    static func rotated(_ gray: [[UInt8]]) -> [[UInt8]] {
        let size = gray.count
        return (0..<size).map { y in (0..<size).map { x in gray[size - 1 - x][y] } }
    }

    @Test func aRotatedCopyIsFoundOnlyThroughTheDihedralVariants() {
        let original = Self.picture()
        let reported = PDQHasher.hash(Self.image(original)).hash
        let view = OperationFinderTests.view([OperationFinderTests.report(0, .pdq, reported.hex)])
        let search = IndicatorSearch(view: view)
        let turned = Self.image(Self.rotated(original))
        let plain = PDQHasher.hash(turned).hash
        #expect(plain.distance(to: reported) > 31, "the rotation changes the plain hash beyond the threshold")
        #expect(search.pdq(plain, maximumDistance: 31).isEmpty)
        let matches = search.pdq(dihedral: PDQHasher.dihedralHashes(turned).hashes, maximumDistance: 31)
        #expect(matches.map(\.value) == [reported.hex])
        #expect((matches.first?.distance ?? 99) <= 8)
        #expect(matches.first?.transform != nil && matches.first?.transform != "original")
    }
}
