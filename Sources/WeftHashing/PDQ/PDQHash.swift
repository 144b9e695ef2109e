import WeftCore

/// A 256-bit PDQ hash.
///
/// Bit `16·i + j` is set when DCT coefficient (i, j) of the image exceeds the median. The hex form is that
/// 256-bit number written big-endian, as Meta's reference prints it: the first hex digit holds row 15, columns
/// 15…12; the last holds row 0, columns 3…0.
public struct PDQHash: Sendable, Hashable, CustomStringConvertible {
    /// The hash as four 64-bit words, most significant first (`words[0]` is the first 16 hex digits).
    public var words: (UInt64, UInt64, UInt64, UInt64)

    /// The all-zero hash (what images below the minimum size hash to).
    public static let zero = PDQHash(words: (0, 0, 0, 0))

    /// Creates a hash from its words, most significant first.
    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Parses 64 lower-case hex digits.
    public init?(hex: String) {
        guard Hex.isLowercaseHex(hex, count: 64), let bytes = Hex.decode(hex) else { return nil }
        func word(_ index: Int) -> UInt64 {
            bytes[(index * 8)..<(index * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// Builds a hash from 256 flags: `bits[k]` is bit k of the big-endian number (bit 0 is the last hex digit's
    /// least significant bit).
    init(bits: UnsafeBufferPointer<Bool>) {
        var result: [UInt64] = [0, 0, 0, 0]
        for k in 0..<256 where bits[k] { result[3 - k / 64] |= 1 << UInt64(k % 64) }
        words = (result[0], result[1], result[2], result[3])
    }

    /// 64 lower-case hex digits.
    public var hex: String {
        [words.0, words.1, words.2, words.3].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public var description: String { hex }

    /// How many bits are set.
    public var popCount: Int {
        words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount
    }

    /// The Hamming distance to `other`, 0…256.
    @inlinable
    public func distance(to other: PDQHash) -> Int {
        (words.0 ^ other.words.0).nonzeroBitCount + (words.1 ^ other.words.1).nonzeroBitCount
            + (words.2 ^ other.words.2).nonzeroBitCount + (words.3 ^ other.words.3).nonzeroBitCount
    }

    public static func == (lhs: PDQHash, rhs: PDQHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
