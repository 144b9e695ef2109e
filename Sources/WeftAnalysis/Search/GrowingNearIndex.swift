import WeftHashing

/// Near-copy look-ups over values that arrive a few at a time (``IncrementalMerge``): PDQ hashes by the same
/// multi-index hashing as ``PDQIndex`` and MinHash signatures by the same LSH bands as ``NearPairs/minHash``, so an
/// incremental update finds exactly the near pairs a full rebuild finds.
struct GrowingNearIndex {
    private var pdqHashes: [PDQHash] = []
    private var pdqItems: [Int] = []
    /// Per chunk: 16-bit chunk value → positions in `pdqItems`.
    private var pdqTables = [[UInt16: [Int32]]](repeating: [:], count: PDQIndex.chunks)
    private var signatures: [Int: MinHashSignature] = [:]
    /// LSH band key → items with that band.
    private var bands: [UInt64: [Int]] = [:]

    /// Adds a PDQ item and returns the items already held within `distance` of it.
    mutating func insertPDQ(_ hash: PDQHash, item: Int, distance: Int) -> [Int] {
        let (q0, q1, q2, q3) = hash.words
        let query = [q0, q1, q2, q3]
        var found: Set<Int32> = []
        let radius = distance / PDQIndex.chunks
        if radius <= 2 {
            let probes = PDQIndex.probes(radius: radius)
            for chunk in 0..<PDQIndex.chunks {
                let own = PDQIndex.chunk(chunk, of: query, at: 0)
                for flip in probes {
                    for position in pdqTables[chunk][own ^ flip] ?? []
                    where pdqHashes[Int(position)].distance(to: hash) <= distance {
                        found.insert(position)
                    }
                }
            }
        } else {
            for position in 0..<Int32(pdqItems.count) where pdqHashes[Int(position)].distance(to: hash) <= distance {
                found.insert(position)
            }
        }
        let position = Int32(pdqItems.count)
        pdqHashes.append(hash)
        pdqItems.append(item)
        for chunk in 0..<PDQIndex.chunks {
            pdqTables[chunk][PDQIndex.chunk(chunk, of: query, at: 0), default: []].append(position)
        }
        return found.map { pdqItems[Int($0)] }
    }

    /// Adds a MinHash item and returns the items already held whose estimated Jaccard with it is at least
    /// `threshold` among those sharing a band with it.
    mutating func insertMinHash(_ signature: MinHashSignature, item: Int, threshold: Double) -> [Int] {
        let keys = NearPairs.bandKeys(signature)
        var candidates: Set<Int> = []
        for key in keys { candidates.formUnion(bands[key] ?? []) }
        let found = candidates.filter { other in
            signatures[other].map { NearPairs.isSimilar($0, signature, threshold: threshold) } ?? false
        }
        signatures[item] = signature
        for key in Set(keys) { bands[key, default: []].append(item) }
        return Array(found)
    }
}
