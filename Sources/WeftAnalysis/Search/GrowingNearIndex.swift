import WeftHashing

/// Near-copy look-ups over values that arrive a few at a time (``IncrementalMerge``): PDQ hashes by the same
/// multi-index hashing as ``PDQIndex`` and MinHash signatures by the same LSH bands as ``NearPairs/minHash``, so an
/// incremental update finds exactly the near pairs a full rebuild finds.
struct GrowingNearIndex {
    private var pdqHashes: [PDQHash] = []
    private var pdqItems: [Int] = []
    /// Per chunk: 16-bit chunk value → positions in `pdqItems`.
    private var pdqTables = [[UInt16: [Int32]]](repeating: [:], count: PDQIndex.chunks)
    /// MinHash signatures, 128 values each, in the order they came, and the item of each.
    private var signatureValues: [UInt32] = []
    private var signatureItems: [Int] = []
    /// LSH band key → the newest band slot (signature position × bands + band) with that key; `olderSlot` links
    /// each slot to the previous one with the same key (−1: none). Flat chains instead of an array per key: at
    /// millions of signatures an array per band key cost more than the signatures themselves.
    private var newestSlot: [UInt64: Int32] = [:]
    private var olderSlot: [Int32] = []

    /// Pigeonhole tables over the first signatures (``ExactMinHash``), for exact text questions; built on demand by
    /// ``prepareExactMinHash(minimumTail:)``, not by inserts, so the merge itself never pays for them.
    private var exactBlocks: (count: Int, blocks: MinHashBlocks)?

    /// Adds a PDQ item and returns the items already held within `distance` of it.
    mutating func insertPDQ(_ hash: PDQHash, item: Int, distance: Int) -> [Int] {
        let found = pdqItems(within: distance, of: hash).map(\.item)
        let position = Int32(pdqItems.count)
        pdqHashes.append(hash)
        pdqItems.append(item)
        let (q0, q1, q2, q3) = hash.words
        let query = [q0, q1, q2, q3]
        for chunk in 0..<PDQIndex.chunks {
            pdqTables[chunk][PDQIndex.chunk(chunk, of: query, at: 0), default: []].append(position)
        }
        return found
    }

    /// The PDQ items held within `distance` of `hash` (exact, as ``PDQIndex/search(_:maximumDistance:after:)``),
    /// each with its distance: through the chunk tables up to distance 47, by comparing every hash beyond.
    func pdqItems(within distance: Int, of hash: PDQHash) -> [(item: Int, distance: Int)] {
        var found: [Int32: Int] = [:]
        let radius = distance / PDQIndex.chunks
        if radius <= 2 {
            let (q0, q1, q2, q3) = hash.words
            let query = [q0, q1, q2, q3]
            let probes = PDQIndex.probes(radius: radius)
            for chunk in 0..<PDQIndex.chunks {
                let own = PDQIndex.chunk(chunk, of: query, at: 0)
                for flip in probes {
                    for position in pdqTables[chunk][own ^ flip] ?? [] where found[position] == nil {
                        let apart = pdqHashes[Int(position)].distance(to: hash)
                        if apart <= distance { found[position] = apart }
                    }
                }
            }
        } else {
            for position in 0..<Int32(pdqItems.count) {
                let apart = pdqHashes[Int(position)].distance(to: hash)
                if apart <= distance { found[position] = apart }
            }
        }
        return found.map { (pdqItems[Int($0.key)], $0.value) }
    }

    /// Builds the pigeonhole tables for ``minHashItems(similarTo:minimumSimilarity:)`` over every signature held,
    /// unless those built before still cover all but a sixteenth of them (and at least `minimumTail`): signatures
    /// past the tables are compared one by one, which stays cheaper than building them again until the tail grows
    /// that long.
    mutating func prepareExactMinHash(minimumTail: Int = 16_384) {
        let count = signatureItems.count
        let covered = exactBlocks?.count ?? 0
        guard count > covered, count - covered >= max(minimumTail, covered / 16) else { return }
        exactBlocks = (
            count,
            MinHashBlocks(
                signatures: signatureValues, count: count,
                allowed: NearPairs.allowedDifferences(ViewIndex.indexedSimilarity))
        )
    }

    /// The MinHash items held whose similarity to `signature` is at least `minimumSimilarity`, with it (exact).
    func minHashItems(
        similarTo signature: MinHashSignature, minimumSimilarity: Double
    ) -> [(item: Int, similarity: Double)] {
        signatureValues.withUnsafeBufferPointer { held in
            ExactMinHash(signatures: held, blocks: exactBlocks?.blocks, indexed: exactBlocks?.count ?? 0)
                .search(signature, minimumSimilarity: minimumSimilarity)
                .map { (signatureItems[$0.number], $0.similarity) }
        }
    }

    /// Adds a MinHash item and returns the items already held whose estimated Jaccard with it is at least
    /// `threshold` among those sharing a band with it.
    mutating func insertMinHash(_ signature: MinHashSignature, item: Int, threshold: Double) -> [Int] {
        let bands = MinHashLSH.bands
        let keys = NearPairs.bandKeys(signature)
        var candidates: Set<Int32> = []
        for key in keys {
            var slot = newestSlot[key] ?? -1
            while slot >= 0 {
                candidates.insert(slot / Int32(bands))
                slot = olderSlot[Int(slot)]
            }
        }
        let allowed = NearPairs.allowedDifferences(threshold)
        var found: [Int] = []
        signatureValues.withUnsafeBufferPointer { held in
            signature.values.withUnsafeBufferPointer { new in
                for position in candidates
                where NearPairs.agree(NearPairs.signature(Int(position), in: held), new, allowed: allowed) {
                    found.append(signatureItems[Int(position)])
                }
            }
        }
        precondition(signatureItems.count < Int(Int32.max) / bands, "band slots are numbered in 32 bits")
        let position = Int32(signatureItems.count)
        signatureValues += signature.values
        signatureItems.append(item)
        for (band, key) in keys.enumerated() {
            let slot = position * Int32(bands) + Int32(band)
            olderSlot.append(newestSlot.updateValue(slot, forKey: key) ?? -1)
        }
        return found
    }
}
