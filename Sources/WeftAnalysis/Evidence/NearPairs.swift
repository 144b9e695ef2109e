import WeftHashing

/// Finds all pairs of near copies among distinct values at once.
enum NearPairs {
    /// Pairs of PDQ hashes within `distance`, ordered by the first value's position, then the second's. Up to a few
    /// thousand values every pair is compared (a few popcounts each); beyond that each value is looked up in a
    /// ``PDQIndex``, which returns exactly the same pairs without the quadratic cost.
    static func pdq(_ values: [(slot: Int, hash: PDQHash)], distance: Int) -> [(Int, Int)] {
        if values.count > 2_048 {
            let index = PDQIndex(values.map(\.hash))
            var positions: [(Int, Int)] = []
            for (first, value) in values.enumerated() {
                for match in index.search(value.hash, maximumDistance: distance) where match.id > first {
                    positions.append((first, match.id))
                }
            }
            positions.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            return positions.map { (values[$0.0].slot, values[$0.1].slot) }
        }
        var pairs: [(Int, Int)] = []
        for first in values.indices {
            for second in (first + 1)..<values.count
            where values[first].hash.distance(to: values[second].hash) <= distance {
                pairs.append((values[first].slot, values[second].slot))
            }
        }
        return pairs
    }

    /// Pairs of MinHash signatures whose estimated Jaccard is at least `threshold`, by LSH banding done in one
    /// batch: every (band, band value, value) triple is sorted, runs of one band value are candidate pairs, and
    /// candidates are kept when the full signatures agree enough. Same bands and rows as `MinHashLSH`.
    static func minHash(_ values: [(slot: Int, signature: MinHashSignature)], threshold: Double) -> [(Int, Int)] {
        var keys: [(key: UInt64, value: Int32)] = []
        keys.reserveCapacity(values.count * MinHashLSH.bands)
        for (position, entry) in values.enumerated() {
            for key in bandKeys(entry.signature) { keys.append((key, Int32(position))) }
        }
        keys.sort { ($0.key, $0.value) < ($1.key, $1.value) }
        var candidates: [UInt64] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end].key == keys[start].key { end += 1 }
            if end - start > 1 {
                for first in start..<end {
                    for second in (first + 1)..<end where keys[first].value != keys[second].value {
                        candidates.append(UInt64(UInt32(keys[first].value)) << 32 | UInt64(UInt32(keys[second].value)))
                    }
                }
            }
            start = end
        }
        // Sorting and skipping repeats is much cheaper than hashing every candidate into a set.
        candidates.sort()
        // Candidates are checked against one flat copy of the signatures, stopping as soon as too many values differ.
        let length = MinHashSignature.count
        let flat = values.flatMap(\.signature.values)
        let allowed = allowedDifferences(threshold)
        var pairs: [(Int, Int)] = []
        var previous: UInt64?
        flat.withUnsafeBufferPointer { signatures in
            for candidate in candidates where candidate != previous {
                previous = candidate
                let first = Int(candidate >> 32)
                let second = Int(candidate & 0xFFFF_FFFF)
                var differing = 0
                var offset = 0
                while offset < length && differing <= allowed {
                    if signatures[first * length + offset] != signatures[second * length + offset] { differing += 1 }
                    offset += 1
                }
                if differing <= allowed { pairs.append((values[first].slot, values[second].slot)) }
            }
        }
        return pairs
    }

    /// One key per LSH band of a signature (band number and the band's values, mixed).
    static func bandKeys(_ signature: MinHashSignature) -> [UInt64] {
        (0..<MinHashLSH.bands).map { band in
            var key = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for row in 0..<MinHashLSH.rows {
                key = MinHasher.mix(key ^ UInt64(signature.values[band * MinHashLSH.rows + row]))
            }
            return key
        }
    }

    /// How many of a signature's values may differ for an estimated Jaccard of at least `threshold`.
    static func allowedDifferences(_ threshold: Double) -> Int {
        MinHashSignature.count - Int((threshold * Double(MinHashSignature.count)).rounded(.up))
    }

    /// Whether two signatures agree in enough values (the check ``minHash(_:threshold:)`` applies to candidates).
    static func isSimilar(_ a: MinHashSignature, _ b: MinHashSignature, threshold: Double) -> Bool {
        let allowed = allowedDifferences(threshold)
        var differing = 0
        for offset in 0..<MinHashSignature.count where a.values[offset] != b.values[offset] {
            differing += 1
            if differing > allowed { return false }
        }
        return true
    }
}
