/// A count reduced to its log₂ bucket before it leaves a node: bucket 0 is zero, bucket b ≥ 1 holds counts
/// from 2^(b−1) to 2^b − 1. A peer learns the order of magnitude, never the exact number.
public struct PrevalenceBucket: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The bucket index, 0…63.
    public let index: Int

    /// The bucket for an exact count.
    public init(count: Int) {
        precondition(count >= 0, "counts are never negative")
        index = count == 0 ? 0 : Int.bitWidth - count.leadingZeroBitCount
    }

    /// A bucket by index, as read from the wire.
    public init(index: Int) throws(RecordError) {
        guard (0...63).contains(index) else {
            throw RecordError(record: "", field: nil, reason: "bucket \(index) is outside 0…63")
        }
        self.index = index
    }

    /// The smallest count in the bucket.
    public var lowerBound: Int { index == 0 ? 0 : 1 << (index - 1) }
    /// The largest count in the bucket.
    public var upperBound: Int { index == 0 ? 0 : index == 63 ? Int.max : (1 << index) - 1 }

    public var description: String {
        lowerBound == upperBound ? "\(lowerBound)" : "\(lowerBound)–\(upperBound)"
    }

    public static func < (lhs: PrevalenceBucket, rhs: PrevalenceBucket) -> Bool { lhs.index < rhs.index }
}
