/// A stable least-significant-digit radix sort of 64-bit keys, 11 bits per pass.
///
/// The merge sorts millions of LSH band keys and near pairs; the standard library's comparison sort spent about a
/// quarter of a large rebuild doing it (profile in docs/benchmarks.md). Passes in which every key has
/// the same digit are skipped, so keys that use few bits cost few passes.
enum RadixSort {
    private static let digitBits = 11
    private static let buckets = 1 << digitBits

    /// Sorts `keys` ascending, moving each `payload` element with its key. Keys that compare equal keep their
    /// order, so sorting (key, payload) pairs appended in payload order gives the order of sorting by both.
    static func sort<Payload: BitwiseCopyable>(_ keys: inout [UInt64], carrying payload: inout [Payload]) {
        precondition(keys.count == payload.count, "one payload element per key")
        guard keys.count > 1 else { return }
        let count = keys.count
        // One scratch pair for all passes; each pass scatters from one pair into the other.
        let spareKeys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        let sparePayload = UnsafeMutableBufferPointer<Payload>.allocate(capacity: count)
        defer {
            spareKeys.deallocate()
            sparePayload.deallocate()
        }
        keys.withUnsafeMutableBufferPointer { keys in
            payload.withUnsafeMutableBufferPointer { payload in
                var source = (keys, payload)
                var target = (spareKeys, sparePayload)
                for shift in stride(from: 0, to: 64, by: digitBits)
                where pass(from: source, to: target, shift: shift) {
                    swap(&source, &target)
                }
                if source.0.baseAddress != keys.baseAddress {
                    _ = keys.update(fromContentsOf: source.0)
                    _ = payload.update(fromContentsOf: source.1)
                }
            }
        }
    }

    /// Sorts `keys` ascending.
    static func sort(_ keys: inout [UInt64]) {
        var none: [Void] = Array(repeating: (), count: keys.count)
        sort(&keys, carrying: &none)
    }

    /// Scatters the elements of `source` into `target` by the digit at `shift`; returns false, writing nothing,
    /// when every key has the same digit there.
    private static func pass<Payload: BitwiseCopyable>(
        from source: (UnsafeMutableBufferPointer<UInt64>, UnsafeMutableBufferPointer<Payload>),
        to target: (UnsafeMutableBufferPointer<UInt64>, UnsafeMutableBufferPointer<Payload>),
        shift: Int
    ) -> Bool {
        let mask = UInt64(buckets - 1)
        let (keys, payload) = source
        var starts = [Int](repeating: 0, count: buckets)
        return starts.withUnsafeMutableBufferPointer { starts in
            for key in keys { starts[Int(key >> UInt64(shift) & mask)] += 1 }
            if starts.contains(keys.count) { return false }
            var total = 0
            for bucket in 0..<buckets { (starts[bucket], total) = (total, total + starts[bucket]) }
            for index in keys.indices {
                let bucket = Int(keys[index] >> UInt64(shift) & mask)
                target.0[starts[bucket]] = keys[index]
                target.1[starts[bucket]] = payload[index]
                starts[bucket] += 1
            }
            return true
        }
    }
}
