import Dispatch
import WeftHashing

/// Exact look-up of MinHash signatures within a number of differing values of a query, by the pigeonhole
/// principle: the 128 values are cut into `allowed + 1` blocks, so two signatures that differ in at most `allowed`
/// values agree completely on at least one block. Each block's table lists the signatures by a 32-bit hash of
/// their values there; a query reads its own hash's run in every table and checks each signature found with the
/// full comparison. Nothing within `allowed` is missed and nothing beyond it is returned (a hash collision only
/// adds a candidate to check), so answers equal a scan of every signature.
///
/// Built for similarity 0.7 (38 differences, 39 blocks of three or four values): 8 bytes per signature per block.
struct MinHashBlocks: Sendable {
    /// The most differing values the tables can answer for.
    let allowed: Int
    /// Per block, its first value's position; the block ends where the next begins (the last at 128).
    private let starts: [Int]
    /// Per block: hash << 32 | signature number, sorted.
    private let tables: [[UInt64]]

    /// Indexes `count` signatures held flat in `signatures` (128 values each) for queries with at most
    /// `allowed` differing values.
    init(signatures: [UInt32], count: Int, allowed: Int) {
        let length = MinHashSignature.count
        let blocks = allowed + 1
        let starts = (0...blocks).map { $0 * length / blocks }
        var tables = [[UInt64]](repeating: [], count: blocks)
        signatures.withUnsafeBufferPointer { signatures in
            tables.withUnsafeMutableBufferPointer { output in
                // Each iteration writes only its own block's table; the signatures are only read.
                nonisolated(unsafe) let (output, signatures) = (output, signatures)
                DispatchQueue.concurrentPerform(iterations: blocks) { block in
                    var table = (0..<count).map { number in
                        let values = signatures[
                            (number * length + starts[block])..<(number * length + starts[block + 1])]
                        return UInt64(Self.hash(values, block: block)) << 32 | UInt64(number)
                    }
                    RadixSort.sort(&table)
                    output[block] = table
                }
            }
        }
        self.allowed = allowed
        self.starts = starts
        self.tables = tables
    }

    /// Numbers of the signatures that may be within `allowed` differences of `query` (each once, ascending): every
    /// one that is, and a few that are not.
    func candidates(of query: [UInt32]) -> [Int] {
        var found: Set<Int> = []
        for block in 0..<tables.count {
            let key = UInt64(Self.hash(query[starts[block]..<starts[block + 1]], block: block))
            let table = tables[block]
            // The first entry with this hash, by binary search.
            var (low, high) = (0, table.count)
            while low < high {
                let middle = (low + high) / 2
                if table[middle] >> 32 < key { low = middle + 1 } else { high = middle }
            }
            while low < table.count && table[low] >> 32 == key {
                found.insert(Int(table[low] & 0xFFFF_FFFF))
                low += 1
            }
        }
        return found.sorted()
    }

    private static func hash(_ values: some Collection<UInt32>, block: Int) -> UInt32 {
        var key = UInt64(block) &* 0x9E37_79B9_7F4A_7C15
        for value in values { key = MinHasher.mix(key ^ UInt64(value)) }
        return UInt32(truncatingIfNeeded: key >> 32)
    }
}
