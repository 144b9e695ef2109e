import Dispatch
import WeftHashing

/// Exact MinHash look-ups over signatures held flat (128 values each, numbered by position): the signatures whose
/// estimated Jaccard with a query is at least a threshold, with it. The first `indexed` signatures may be covered by
/// ``MinHashBlocks``, whose candidates are then the only ones of them compared; signatures past them, and all of
/// them when the threshold is below what the blocks answer for, are compared one by one on all cores, each
/// comparison stopping at the first difference too many. Both ``ViewIndex`` (blocks over every signature) and
/// ``GrowingNearIndex`` (blocks over the signatures held when they were last built) answer through this.
struct ExactMinHash {
    /// Flat signatures, 128 values each.
    let signatures: UnsafeBufferPointer<UInt32>
    /// Pigeonhole tables over the first `indexed` signatures, if built.
    let blocks: MinHashBlocks?
    let indexed: Int

    /// Signature numbers with similarity at least `minimumSimilarity` to `query`, ascending, with that similarity.
    func search(_ query: MinHashSignature, minimumSimilarity: Double) -> [(number: Int, similarity: Double)] {
        let count = signatures.count / MinHashSignature.count
        let allowed = NearPairs.allowedDifferences(minimumSimilarity)
        guard allowed >= 0, count > 0 else { return [] }
        var candidates: [Int]
        let scanFrom: Int
        if let blocks, allowed <= blocks.allowed {
            candidates = blocks.candidates(of: query.values).filter { $0 < indexed }
            scanFrom = indexed
        } else {
            candidates = []
            scanFrom = 0
        }
        candidates += query.values.withUnsafeBufferPointer { scan(scanFrom..<count, against: $0, allowed: allowed) }
        return candidates.compactMap { number in
            let start = number * MinHashSignature.count
            let held = MinHashSignature(values: Array(signatures[start..<(start + MinHashSignature.count)]))
            let similarity = held.similarity(to: query)
            return similarity >= minimumSimilarity ? (number, similarity) : nil
        }
    }

    /// The numbers in `range` whose signatures differ from `query` in at most `allowed` values, ascending.
    private func scan(_ range: Range<Int>, against query: UnsafeBufferPointer<UInt32>, allowed: Int) -> [Int] {
        guard !range.isEmpty else { return [] }
        let chunk = 65_536
        let parts = (range.count + chunk - 1) / chunk
        var found = [[Int]](repeating: [], count: parts)
        found.withUnsafeMutableBufferPointer { output in
            // Each iteration writes only its own part's slot; the signatures and the query are only read.
            nonisolated(unsafe) let (output, held, query) = (output, signatures, query)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = range.lowerBound + part * chunk
                var matches: [Int] = []
                for number in start..<min(range.upperBound, start + chunk)
                where NearPairs.agree(NearPairs.signature(number, in: held), query, allowed: allowed) {
                    matches.append(number)
                }
                output[part] = matches
            }
        }
        return Array(found.joined())
    }
}
