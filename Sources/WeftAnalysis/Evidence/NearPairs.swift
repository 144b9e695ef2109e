import Dispatch
import WeftHashing

/// Finds all pairs of near copies among distinct values at once.
enum NearPairs {
    /// Pairs of PDQ hashes within `distance`, ordered by the first value's position, then the second's. Up to a few
    /// thousand values every pair is compared (a few popcounts each); beyond that each value is looked up in a
    /// ``PDQIndex``, which returns exactly the same pairs without the quadratic cost, for the values after it, on
    /// all cores.
    static func pdq(_ values: [(slot: Int, hash: PDQHash)], distance: Int) -> [(Int, Int)] {
        if values.count > 2_048 {
            let index = PDQIndex(values.map(\.hash))
            let chunk = 1_024
            var found = [[(Int, Int)]](repeating: [], count: (values.count + chunk - 1) / chunk)
            found.withUnsafeMutableBufferPointer { buffer in
                // Each iteration writes only its own chunk's slot.
                nonisolated(unsafe) let output = buffer
                DispatchQueue.concurrentPerform(iterations: output.count) { part in
                    var positions: [(Int, Int)] = []
                    for first in (part * chunk)..<min(values.count, (part + 1) * chunk) {
                        let matches = index.search(values[first].hash, maximumDistance: distance, after: first)
                        positions += matches.map { (first, $0.id) }.sorted { $0.1 < $1.1 }
                    }
                    output[part] = positions
                }
            }
            return found.flatMap { $0 }.map { (values[$0.0].slot, values[$0.1].slot) }
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

    /// One key per LSH band of a signature (band number and the band's values, mixed).
    static func bandKeys(_ signature: MinHashSignature) -> [UInt64] {
        signature.values.withUnsafeBufferPointer { values in (0..<MinHashLSH.bands).map { bandKey(values, band: $0) } }
    }

    /// The key of one LSH band of a signature held as its 128 values.
    static func bandKey(_ signature: UnsafeBufferPointer<UInt32>, band: Int) -> UInt64 {
        var key = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
        for row in 0..<MinHashLSH.rows {
            key = MinHasher.mix(key ^ UInt64(signature[band * MinHashLSH.rows + row]))
        }
        return key
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

    /// Whether two signatures' values differ in at most `allowed` places, stopping at the first block of sixteen
    /// values that takes the count over. Compared sixteen values at a time: a rebuild checks tens of millions of
    /// candidate pairs that LSH bands bring together (short texts share bands often), and most are rejected within
    /// the first three blocks.
    static func agree(
        _ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, allowed: Int
    ) -> Bool {
        precondition(a.count == b.count)
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }
        let (first, second) = (UnsafeRawPointer(left), UnsafeRawPointer(right))
        var differing = 0
        var offset = 0
        while offset + 16 <= a.count {
            let x = first.loadUnaligned(fromByteOffset: offset * 4, as: SIMD16<UInt32>.self)
            let y = second.loadUnaligned(fromByteOffset: offset * 4, as: SIMD16<UInt32>.self)
            differing += Int(SIMD16<UInt32>(repeating: 0).replacing(with: 1, where: x .!= y).wrappedSum())
            if differing > allowed { return false }
            offset += 16
        }
        for rest in offset..<a.count where a[rest] != b[rest] {
            differing += 1
            if differing > allowed { return false }
        }
        return true
    }
}
