import Dispatch
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

    /// Pairs of MinHash signatures whose estimated Jaccard is at least `threshold`, ordered like ``pdq(_:distance:)``.
    /// Two signatures are candidates when some LSH band gives them the same key (same bands and rows as
    /// `MinHashLSH`), and a candidate is kept when the full signatures agree enough.
    ///
    /// Each band is its own task, and the bands run on all cores: a band's keys are sorted (``RadixSort``), each
    /// run of equal keys gives candidates, and a candidate is checked only in the first band where its keys are
    /// equal. That replaces one sort of every candidate from every band (near copies share most bands) with a
    /// look at the two signatures' earlier band keys.
    static func minHash(_ values: [(slot: Int, signature: MinHashSignature)], threshold: Double) -> [(Int, Int)] {
        let count = values.count
        guard count > 1 else { return [] }
        let bands = MinHashLSH.bands
        var signatures: [UInt32] = []
        signatures.reserveCapacity(count * MinHashSignature.count)
        for value in values { signatures += value.signature.values }
        // keys[position * bands + band]: one signature's band keys sit together for the earlier-band check.
        var keys = [UInt64](repeating: 0, count: count * bands)
        keys.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own positions' keys.
            nonisolated(unsafe) let output = buffer
            let chunk = 4_096
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                for position in (part * chunk)..<min(count, (part + 1) * chunk) {
                    for (band, key) in bandKeys(values[position].signature).enumerated() {
                        output[position * bands + band] = key
                    }
                }
            }
        }
        var found = [[UInt64]](repeating: [], count: bands)
        let allowed = allowedDifferences(threshold)
        keys.withUnsafeBufferPointer { keys in
            signatures.withUnsafeBufferPointer { signatures in
                found.withUnsafeMutableBufferPointer { buffer in
                    // Each iteration writes only its own band's slot; keys and signatures are only read.
                    nonisolated(unsafe) let (output, keys, signatures) = (buffer, keys, signatures)
                    DispatchQueue.concurrentPerform(iterations: bands) { band in
                        output[band] = pairs(
                            inBand: band, keys: keys, signatures: signatures, count: count, allowed: allowed)
                    }
                }
            }
        }
        var packed = found.flatMap { $0 }
        RadixSort.sort(&packed)
        return packed.map { (values[Int($0 >> 32)].slot, values[Int($0 & 0xFFFF_FFFF)].slot) }
    }

    /// The similar pairs, packed as first position << 32 | second, whose keys are equal first in `band`.
    private static func pairs(
        inBand band: Int, keys: UnsafeBufferPointer<UInt64>, signatures: UnsafeBufferPointer<UInt32>, count: Int,
        allowed: Int
    ) -> [UInt64] {
        let bands = MinHashLSH.bands
        var sorted = (0..<count).map { keys[$0 * bands + band] }
        var positions = (0..<count).map { UInt32($0) }
        // Stable, and positions start in order: within a run they stay ascending.
        RadixSort.sort(&sorted, carrying: &positions)
        func collidedEarlier(_ a: Int, _ b: Int) -> Bool {
            (0..<band).contains { keys[a * bands + $0] == keys[b * bands + $0] }
        }
        func similar(_ a: Int, _ b: Int) -> Bool {
            agree(signature(a, in: signatures), signature(b, in: signatures), allowed: allowed)
        }
        var pairs: [UInt64] = []
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && sorted[end] == sorted[start] { end += 1 }
            for first in start..<end {
                let a = Int(positions[first])
                for second in (first + 1)..<end {
                    let b = Int(positions[second])
                    if !collidedEarlier(a, b) && similar(a, b) { pairs.append(UInt64(a) << 32 | UInt64(b)) }
                }
            }
            start = end
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
        a.values.withUnsafeBufferPointer { a in
            b.values.withUnsafeBufferPointer { b in agree(a, b, allowed: allowedDifferences(threshold)) }
        }
    }

    /// Signature `position` among signatures held one after another, 128 values each.
    static func signature(_ position: Int, in flat: UnsafeBufferPointer<UInt32>) -> UnsafeBufferPointer<UInt32> {
        let start = position * MinHashSignature.count
        return UnsafeBufferPointer(rebasing: flat[start..<(start + MinHashSignature.count)])
    }

    /// Whether two signatures' values differ in at most `allowed` places, stopping at the first one too many.
    static func agree(
        _ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, allowed: Int
    ) -> Bool {
        var differing = 0
        for offset in a.indices where a[offset] != b[offset] {
            differing += 1
            if differing > allowed { return false }
        }
        return true
    }
}
