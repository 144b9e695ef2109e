/// Locality-sensitive banding over MinHash signatures: 32 bands of 4 values. Two texts become candidates when
/// any band agrees entirely; candidates are then kept when their estimated Jaccard similarity reaches the
/// threshold. With Jaccard s, the chance of becoming a candidate is 1 − (1 − s⁴)³²: 0.9998 at s = 0.7, 0.97 at
/// s = 0.5, 0.23 at s = 0.3 (docs/hashing.md).
public struct MinHashLSH: Sendable {
    /// Bands × rows = 128.
    public static let bands = 32
    public static let rows = 4

    /// The similarity a candidate must reach.
    public var threshold: Double
    private var buckets: [Int: [UInt64: [Int]]] = [:]
    private var signatures: [MinHashSignature] = []

    /// Creates an empty index.
    public init(threshold: Double = 0.5) { self.threshold = threshold }

    /// Adds a signature; returns its index.
    @discardableResult
    public mutating func insert(_ signature: MinHashSignature) -> Int {
        let index = signatures.count
        signatures.append(signature)
        for band in 0..<Self.bands {
            buckets[band, default: [:]][Self.bandKey(signature, band), default: []].append(index)
        }
        return index
    }

    /// Indices of stored signatures similar to `signature`, with their estimated similarity, best first.
    public func query(_ signature: MinHashSignature) -> [(index: Int, similarity: Double)] {
        var candidates = Set<Int>()
        for band in 0..<Self.bands {
            if let hits = buckets[band]?[Self.bandKey(signature, band)] { candidates.formUnion(hits) }
        }
        return candidates.map { ($0, signatures[$0].similarity(to: signature)) }
            .filter { $0.1 >= threshold }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    }

    static func bandKey(_ signature: MinHashSignature, _ band: Int) -> UInt64 {
        var key: UInt64 = 0
        for row in 0..<rows { key = key << 16 ^ UInt64(signature.values[band * rows + row]) &* 0x9E37_79B9 }
        return key
    }
}
