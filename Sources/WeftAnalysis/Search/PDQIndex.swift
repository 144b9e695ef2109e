import WeftHashing

/// Exact Hamming range search over PDQ hashes by multi-index hashing (Norouzi, Punjani and Fleet, 2012).
///
/// The 256 bits are cut into 16 chunks of 16 bits. If two hashes differ in at most `d` bits, then by the
/// pigeonhole principle at least one chunk differs in at most ⌊d / 16⌋ bits. So a query reads, for each chunk, the
/// buckets of every 16-bit value within that radius of its own chunk (17 buckets per chunk for d ≤ 31), and checks
/// each hash found there with the full distance. Nothing within `d` can be missed, and nothing beyond it is
/// returned: the results are those of a brute-force scan (a test compares them).
///
/// Each table is a bucket array in compressed form: `offsets` has 65,537 entries per chunk and `ids` lists the
/// hashes by chunk value. Memory: 4 bytes per hash per chunk (64 bytes per hash) plus the hashes themselves.
public struct PDQIndex: Sendable {
    /// Chunks per hash, and bits per chunk.
    static let chunks = 16
    static let buckets = 1 << 16

    /// The hashes, four words each, in insertion order (a result's `id` is its position).
    private let words: [UInt64]
    private let offsets: [UInt32]
    private let ids: [UInt32]

    /// How many hashes the index holds.
    public var count: Int { words.count / 4 }

    /// Builds the index (a counting sort per chunk: linear in the number of hashes).
    public init(_ hashes: [PDQHash]) {
        precondition(hashes.count < Int(UInt32.max), "at most 2³² − 1 hashes")
        var words: [UInt64] = []
        words.reserveCapacity(hashes.count * 4)
        for hash in hashes { words += [hash.words.0, hash.words.1, hash.words.2, hash.words.3] }
        let n = hashes.count
        var offsets = [UInt32](repeating: 0, count: Self.chunks * (Self.buckets + 1))
        var ids = [UInt32](repeating: 0, count: Self.chunks * n)
        for chunk in 0..<Self.chunks {
            let base = chunk * (Self.buckets + 1)
            for id in 0..<n { offsets[base + Int(Self.chunk(chunk, of: words, at: id)) + 1] += 1 }
            for value in 0..<Self.buckets { offsets[base + value + 1] += offsets[base + value] }
            var next = Array(offsets[base..<(base + Self.buckets)])
            for id in 0..<n {
                let value = Int(Self.chunk(chunk, of: words, at: id))
                ids[chunk * n + Int(next[value])] = UInt32(id)
                next[value] += 1
            }
        }
        self.words = words
        self.offsets = offsets
        self.ids = ids
    }

    /// Every stored hash within `maximumDistance` (0…256) of `query`, as (id, distance), in no particular order.
    /// With `after`, only hashes with larger ids: a self-join (every pair of stored hashes within reach) asks each
    /// stored hash for those after it, which skips reading the half of the candidates it has already paired.
    public func search(_ query: PDQHash, maximumDistance: Int, after: Int = -1) -> [(id: Int, distance: Int)] {
        let radius = maximumDistance / Self.chunks
        guard radius <= 2 else {
            return bruteForce(query, maximumDistance: maximumDistance).filter { $0.id > after }
        }
        let (q0, q1, q2, q3) = query.words
        let queryWords = [q0, q1, q2, q3]
        let queryChunks = (0..<Self.chunks).map { Self.chunk($0, of: queryWords, at: 0) }
        let probes = Self.probes(radius: radius)
        let n = count
        var found: [(id: Int, distance: Int)] = []
        words.withUnsafeBufferPointer { words in
            offsets.withUnsafeBufferPointer { offsets in
                ids.withUnsafeBufferPointer { ids in
                    queryChunks.withUnsafeBufferPointer { queryChunks in
                        for chunk in 0..<Self.chunks {
                            let base = chunk * (Self.buckets + 1)
                            let postings = chunk * n
                            for flip in probes {
                                let value = Int(queryChunks[chunk] ^ flip)
                                for slot in Int(offsets[base + value])..<Int(offsets[base + value + 1]) {
                                    let id = Int(ids[postings + slot])
                                    guard id > after else { continue }
                                    let w = id &* 4
                                    let distance =
                                        (words[w] ^ q0).nonzeroBitCount &+ (words[w &+ 1] ^ q1).nonzeroBitCount
                                        &+ (words[w &+ 2] ^ q2).nonzeroBitCount &+ (words[w &+ 3] ^ q3).nonzeroBitCount
                                    guard distance <= maximumDistance else { continue }
                                    // Report each hash from the first chunk that can find it, so never twice.
                                    if chunk > 0
                                        && Self.foundEarlier(id, before: chunk, radius: radius, words, queryChunks)
                                    {
                                        continue
                                    }
                                    found.append((id, distance))
                                }
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// The same answer by scanning every hash: the reference the index is tested against, and the fallback for
    /// radii above 47.
    public func bruteForce(_ query: PDQHash, maximumDistance: Int) -> [(id: Int, distance: Int)] {
        let (q0, q1, q2, q3) = query.words
        var found: [(id: Int, distance: Int)] = []
        words.withUnsafeBufferPointer { words in
            var w = 0
            for id in 0..<count {
                let distance =
                    (words[w] ^ q0).nonzeroBitCount &+ (words[w &+ 1] ^ q1).nonzeroBitCount
                    &+ (words[w &+ 2] ^ q2).nonzeroBitCount &+ (words[w &+ 3] ^ q3).nonzeroBitCount
                if distance <= maximumDistance { found.append((id, distance)) }
                w &+= 4
            }
        }
        return found
    }

    /// Chunk `chunk` (0 = the most significant 16 bits) of hash `id` in a flat word array.
    @inline(__always)
    static func chunk<Words: RandomAccessCollection<UInt64>>(_ chunk: Int, of words: Words, at id: Int) -> UInt16
    where Words.Index == Int {
        let word: UInt64 = words[words.startIndex + id * 4 + chunk / 4]
        let shift = UInt64(48 - 16 * (chunk % 4))
        return UInt16(truncatingIfNeeded: word >> shift)
    }

    /// True if hash `id` is within `radius` of the query on some chunk before `chunk`.
    @inline(__always)
    private static func foundEarlier(
        _ id: Int, before chunk: Int, radius: Int, _ words: UnsafeBufferPointer<UInt64>,
        _ queryChunks: UnsafeBufferPointer<UInt16>
    ) -> Bool {
        for earlier in 0..<chunk {
            let difference: UInt16 = Self.chunk(earlier, of: words, at: id) ^ queryChunks[earlier]
            if difference.nonzeroBitCount <= radius { return true }
        }
        return false
    }

    /// Every 16-bit mask with at most `radius` bits set.
    static func probes(radius: Int) -> [UInt16] {
        var masks: [UInt16] = [0]
        if radius >= 1 { masks += (0..<16).map { UInt16(1) << UInt16($0) } }
        if radius >= 2 {
            for i in 0..<16 {
                for j in (i + 1)..<16 {
                    let mask: UInt16 = (1 << UInt16(i)) | (1 << UInt16(j))
                    masks.append(mask)
                }
            }
        }
        return masks
    }
}
