import WeftCore
import WeftHashing
import WeftStore

/// Look-ups into one merged view for analysts' questions, built once per view (the analyst API keeps one beside
/// the view it serves): the reports of each case, and the distinct PDQ hashes, MinHash signatures and text digests
/// with the reports of each. Answers through the index equal those of scanning every report (tests compare);
/// what they cost depends on what is asked rather than on the view's size, which at ten million reports is the
/// difference between a few milliseconds and a few hundred.
struct ViewIndex: Sendable {
    /// Positions in `view.reports` grouped by a key numbered 0..<n: group g is `positions[start[g]..<start[g+1]]`.
    struct Groups: Sendable {
        let start: [Int32]
        let positions: [Int32]

        /// Groups the (report position, group number) pairs `keys` into `count` groups, keeping their order.
        init(count: Int, keys: [(position: Int, group: Int)]) {
            var start = [Int32](repeating: 0, count: count + 1)
            for key in keys { start[key.group + 1] += 1 }
            for group in 0..<count { start[group + 1] += start[group] }
            var next = start
            var positions = [Int32](repeating: 0, count: keys.count)
            for key in keys {
                positions[Int(next[key.group])] = Int32(key.position)
                next[key.group] += 1
            }
            self.start = start
            self.positions = positions
        }

        /// The positions of group `group`.
        subscript(group: Int) -> ArraySlice<Int32> { positions[Int(start[group])..<Int(start[group + 1])] }
    }

    let cases: CaseLookup
    let reportsOfCase: Groups
    let pdqValues: [String]
    let pdq: PDQIndex
    let reportsOfPDQ: Groups
    let minHashValues: [String]
    /// The signatures of `minHashValues`, 128 values each.
    let signatures: [UInt32]
    let reportsOfMinHash: Groups
    /// Exact look-ups of signatures with similarity 0.7 or more to a query.
    let minHashBlocks: MinHashBlocks
    /// Text digest → its reports.
    let reportsOfTextDigest: [String: [Int32]]

    init(_ view: MergedView) {
        cases = CaseLookup(view)
        reportsOfCase = Groups(
            count: view.cases.count, keys: view.reports.enumerated().map { ($0.offset, $0.element.caseIndex) })
        // Tables sized from a first count, and keyed by values hashed on their ends (`ItemClusters.ValueKey`):
        // growing them, and hashing every digit of millions of 1,024-digit signatures, was most of the 40 s
        // this index took at ten million reports.
        var counts: (pdq: Int, minHash: Int, digest: Int) = (0, 0, 0)
        for report in view.reports {
            switch report.kind {
            case .pdq: counts.pdq += 1
            case .textMinHash: counts.minHash += 1
            case .textSHA256: counts.digest += 1
            default: continue
            }
        }
        typealias ValueKey = ItemClusters.ValueKey
        var pdqNumber = [ValueKey: Int](minimumCapacity: counts.pdq)
        var pdqHashes: [PDQHash] = []
        var pdqKeys: [(position: Int, group: Int)] = []
        pdqKeys.reserveCapacity(counts.pdq)
        var minHashNumber = [ValueKey: Int](minimumCapacity: counts.minHash)
        var signatures: [UInt32] = []
        signatures.reserveCapacity(counts.minHash * MinHashSignature.count)
        var minHashKeys: [(position: Int, group: Int)] = []
        minHashKeys.reserveCapacity(counts.minHash)
        var digests = [String: [Int32]](minimumCapacity: counts.digest)
        for (position, report) in view.reports.enumerated() {
            switch report.kind {
            case .pdq:
                let key = ValueKey(report.value)
                if let number = pdqNumber[key] {
                    pdqKeys.append((position, number))
                } else if let hash = PDQHash(hex: report.value) {
                    pdqNumber[key] = pdqHashes.count
                    pdqKeys.append((position, pdqHashes.count))
                    pdqHashes.append(hash)
                }
            case .textMinHash:
                let key = ValueKey(report.value)
                if let number = minHashNumber[key] {
                    minHashKeys.append((position, number))
                } else if Self.appendSignature(report.value, to: &signatures) {
                    minHashNumber[key] = minHashNumber.count
                    minHashKeys.append((position, minHashNumber.count - 1))
                }
            case .textSHA256:
                digests[report.value, default: []].append(Int32(position))
            default:
                continue
            }
        }
        pdqValues = Self.values(numbered: pdqNumber)
        pdq = PDQIndex(pdqHashes)
        reportsOfPDQ = Groups(count: pdqHashes.count, keys: pdqKeys)
        minHashValues = Self.values(numbered: minHashNumber)
        self.signatures = signatures
        reportsOfMinHash = Groups(count: minHashNumber.count, keys: minHashKeys)
        minHashBlocks = MinHashBlocks(
            signatures: signatures, count: minHashNumber.count,
            allowed: NearPairs.allowedDifferences(Self.indexedSimilarity))
        reportsOfTextDigest = digests
    }

    private static func values(numbered: [ItemClusters.ValueKey: Int]) -> [String] {
        var values = [String](repeating: "", count: numbered.count)
        for (key, number) in numbered { values[number] = key.value }
        return values
    }

    /// Decodes a `text.minhash` value onto the end of `signatures`; false (and `signatures` unchanged) for a
    /// value that is not a signature.
    private static func appendSignature(_ hex: String, to signatures: inout [UInt32]) -> Bool {
        let start = signatures.count
        signatures.append(contentsOf: repeatElement(0, count: MinHashSignature.count))
        let decoded = signatures.withUnsafeMutableBufferPointer { buffer in
            MinHashSignature.decode(hex: hex, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        if !decoded { signatures.removeLast(MinHashSignature.count) }
        return decoded
    }

    /// The report positions of the cases `numbers` (view case indices), in view order within each case.
    func reports(ofCases numbers: some Sequence<Int>) -> [Int] {
        numbers.flatMap { reportsOfCase[$0].map(Int.init) }
    }

    /// The least similarity ``minHashBlocks`` answers for: the analyst API's and `weft search text`'s default.
    static let indexedSimilarity = 0.7

    /// Distinct signatures whose similarity to `signature` is at least `minimumSimilarity`, with it (exact). At
    /// ``indexedSimilarity`` or more only the candidates of ``minHashBlocks`` are compared; below it every
    /// signature is (``ExactMinHash``).
    func minHash(_ signature: MinHashSignature, minimumSimilarity: Double) -> [(number: Int, similarity: Double)] {
        signatures.withUnsafeBufferPointer { held in
            ExactMinHash(signatures: held, blocks: minHashBlocks, indexed: minHashValues.count)
                .search(signature, minimumSimilarity: minimumSimilarity)
        }
    }
}
