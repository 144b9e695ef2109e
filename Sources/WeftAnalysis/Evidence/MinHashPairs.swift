import Dispatch
import WeftHashing

extension NearPairs {
    /// Pairs of MinHash signatures whose estimated Jaccard is at least `threshold`, ordered like ``pdq(_:distance:)``.
    /// Two signatures are candidates when some LSH band gives them the same key (same bands and rows as
    /// `MinHashLSH`), and a candidate is kept when the full signatures agree enough.
    ///
    /// Two passes over the bands, each band a task on all cores. The first sorts each band's keys
    /// (``RadixSort``), numbers its runs of equal keys, and keeps the runs of two or more. The second walks each
    /// kept run's pairs and checks a pair only in the first band where it shares a run, which it tells from the run
    /// numbers of the earlier bands (32-bit and side by side per signature, so compared sixteen at a time). Short
    /// texts share bands often: a ten-million-report rebuild meets a hundred million candidates, most of them
    /// dissimilar, so a candidate is first compared on the low byte of each value (a quarter of the memory; a
    /// difference there is a difference in the value) and only the few that pass are compared in full.
    static func minHash(_ values: [(slot: Int, signature: MinHashSignature)], threshold: Double) -> [(Int, Int)] {
        minHash(FlatSignatures(values.map(\.signature)), slots: values.map(\.slot), threshold: threshold)
    }

    /// The same for signatures held side by side, `slots[position]` naming the item of each.
    static func minHash(_ held: FlatSignatures, slots: [Int], threshold: Double) -> [(Int, Int)] {
        let count = held.count
        precondition(slots.count == count, "one slot per signature")
        guard count > 1 else { return [] }
        precondition(count < Int(UInt32.max), "at most 2³² − 1 signatures")
        let signatures = held.values
        let sketches = signatures.map { UInt8(truncatingIfNeeded: $0) }
        let (runNumbers, runs) = bandRuns(signatures, count: count)
        let allowed = allowedDifferences(threshold)
        var found = [[UInt64]](repeating: [], count: MinHashLSH.bands)
        runNumbers.withUnsafeBufferPointer { runNumbers in
            signatures.withUnsafeBufferPointer { signatures in
                sketches.withUnsafeBufferPointer { sketches in
                    found.withUnsafeMutableBufferPointer { buffer in
                        // Each iteration writes only its own band's slot; everything else is only read.
                        nonisolated(unsafe) let (output, runNumbers, signatures, sketches) =
                            (buffer, runNumbers, signatures, sketches)
                        DispatchQueue.concurrentPerform(iterations: MinHashLSH.bands) { band in
                            output[band] = similarPairs(
                                in: runs[band], band: band, runNumbers: runNumbers,
                                signatures: Flat(values: signatures, sketches: sketches), allowed: allowed)
                        }
                    }
                }
            }
        }
        var packed = found.flatMap { $0 }
        RadixSort.sort(&packed)
        return packed.map { (slots[Int($0 >> 32)], slots[Int($0 & 0xFFFF_FFFF)]) }
    }

    /// One band's runs of two or more signatures with equal keys: their positions, ascending within a run, and
    /// where each run ends in ``members``.
    struct BandRuns: Sendable {
        var members: [UInt32] = []
        var ends: [Int] = []
    }

    /// Signatures held one after another, with their low-byte sketches, as the band tasks read them.
    struct Flat {
        let values: UnsafeBufferPointer<UInt32>
        let sketches: UnsafeBufferPointer<UInt8>
    }

    /// For every signature and band, the number of the band's run it is in (`runNumbers[position × bands + band]`:
    /// equal exactly when the band keys are equal), and each band's runs of two or more.
    private static func bandRuns(_ signatures: [UInt32], count: Int) -> (runNumbers: [UInt32], runs: [BandRuns]) {
        let bands = MinHashLSH.bands
        var keys = [UInt64](repeating: 0, count: count * bands)
        keys.withUnsafeMutableBufferPointer { buffer in
            signatures.withUnsafeBufferPointer { signatures in
                // Each iteration writes only its own positions' keys.
                nonisolated(unsafe) let (output, signatures) = (buffer, signatures)
                let chunk = 4_096
                DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                    for position in (part * chunk)..<min(count, (part + 1) * chunk) {
                        let signature = signature(position, in: signatures)
                        for band in 0..<bands { output[band * count + position] = bandKey(signature, band: band) }
                    }
                }
            }
        }
        var runNumbers = [UInt32](repeating: 0, count: count * bands)
        var runs = [BandRuns](repeating: BandRuns(), count: bands)
        keys.withUnsafeBufferPointer { keys in
            runNumbers.withUnsafeMutableBufferPointer { numbers in
                runs.withUnsafeMutableBufferPointer { runs in
                    // Band b writes only entries b, b + bands, … of the numbers and its own slot of runs.
                    nonisolated(unsafe) let (keys, numbers, output) = (keys, numbers, runs)
                    DispatchQueue.concurrentPerform(iterations: bands) { band in
                        var sorted = Array(keys[(band * count)..<((band + 1) * count)])
                        var positions = (0..<count).map { UInt32($0) }
                        // Stable, and positions start in order: within a run they stay ascending.
                        RadixSort.sort(&sorted, carrying: &positions)
                        var result = BandRuns()
                        var start = 0
                        while start < count {
                            var end = start + 1
                            while end < count && sorted[end] == sorted[start] { end += 1 }
                            for index in start..<end { numbers[Int(positions[index]) * bands + band] = UInt32(start) }
                            if end - start > 1 {
                                result.members += positions[start..<end]
                                result.ends.append(result.members.count)
                            }
                            start = end
                        }
                        output[band] = result
                    }
                }
            }
        }
        return (runNumbers, runs)
    }

    /// The similar pairs, packed as first position << 32 | second, that share a run first in `band`.
    private static func similarPairs(
        in runs: BandRuns, band: Int, runNumbers: UnsafeBufferPointer<UInt32>, signatures: Flat, allowed: Int
    ) -> [UInt64] {
        let bands = MinHashLSH.bands
        precondition(bands == 32, "run numbers are compared as two blocks of sixteen")
        let rows = UnsafeRawPointer(runNumbers.baseAddress!)
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let (low, high) = (lanes .< SIMD16(repeating: Int32(band)), lanes .< SIMD16(repeating: Int32(band - 16)))
        func sharedEarlier(_ a: Int, _ b: Int) -> Bool {
            let (x, y) = (rows + a * bands * 4, rows + b * bands * 4)
            let first = x.loadUnaligned(as: SIMD16<UInt32>.self) .== y.loadUnaligned(as: SIMD16<UInt32>.self)
            let second =
                x.loadUnaligned(fromByteOffset: 64, as: SIMD16<UInt32>.self)
                .== y.loadUnaligned(fromByteOffset: 64, as: SIMD16<UInt32>.self)
            return any(first .& low) || any(second .& high)
        }
        func similar(_ a: Int, _ b: Int) -> Bool {
            agree(sketch(a, in: signatures.sketches), sketch(b, in: signatures.sketches), allowed: allowed)
                && agree(signature(a, in: signatures.values), signature(b, in: signatures.values), allowed: allowed)
        }
        var pairs: [UInt64] = []
        var start = 0
        for end in runs.ends {
            for first in start..<end {
                let a = Int(runs.members[first])
                for second in (first + 1)..<end {
                    let b = Int(runs.members[second])
                    if !sharedEarlier(a, b) && similar(a, b) { pairs.append(UInt64(a) << 32 | UInt64(b)) }
                }
            }
            start = end
        }
        return pairs
    }

    /// The low-byte sketch of signature `position`.
    static func sketch(_ position: Int, in flat: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let start = position * MinHashSignature.count
        return UnsafeBufferPointer(rebasing: flat[start..<(start + MinHashSignature.count)])
    }

    /// Whether two sketches differ in at most `allowed` places. Every place where they differ is a place where
    /// the signatures differ, so a sketch pair that fails settles the signature pair.
    static func agree(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, allowed: Int) -> Bool {
        precondition(a.count == b.count && a.count % 16 == 0)
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }
        let (first, second) = (UnsafeRawPointer(left), UnsafeRawPointer(right))
        var differing = 0
        for offset in stride(from: 0, to: a.count, by: 16) {
            let x = first.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            let y = second.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            differing += Int(SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: x .!= y).wrappedSum())
            if differing > allowed { return false }
        }
        return true
    }
}
