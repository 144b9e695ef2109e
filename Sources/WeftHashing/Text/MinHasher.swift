import Crypto
import WeftCore

/// A 128-value MinHash signature: for each of 128 keyed permutations, the smallest 32-bit image of any of the
/// text's character 5-grams. The share of equal positions between two signatures estimates the Jaccard
/// similarity of their 5-gram sets.
public struct MinHashSignature: Sendable, Hashable {
    /// The 128 minima.
    public var values: [UInt32]

    /// The number of permutations.
    public static let count = 128

    /// Wraps 128 values.
    public init(values: [UInt32]) {
        precondition(values.count == Self.count)
        self.values = values
    }

    /// Parses the `text.minhash` wire form: 1,024 lower-case hex digits, each value big-endian.
    public init?(hex: String) {
        guard hex.utf8.count == 8 * Self.count, let bytes = Hex.decode(hex) else { return nil }
        values = [UInt32](unsafeUninitializedCapacity: Self.count) { buffer, written in
            for index in 0..<Self.count {
                buffer[index] =
                    UInt32(bytes[4 * index]) << 24 | UInt32(bytes[4 * index + 1]) << 16
                    | UInt32(bytes[4 * index + 2]) << 8 | UInt32(bytes[4 * index + 3])
            }
            written = Self.count
        }
    }

    /// Parses the wire form straight into `output` (exactly ``count`` values), for callers that keep millions
    /// of signatures side by side; returns false for anything ``init(hex:)`` rejects.
    public static func decode(hex: String, into output: UnsafeMutableBufferPointer<UInt32>) -> Bool {
        precondition(output.count == count)
        guard Hex.decode(hex, into: UnsafeMutableRawBufferPointer(output)) else { return false }
        for index in output.indices { output[index] = UInt32(bigEndian: output[index]) }
        return true
    }

    /// The wire form.
    public var hex: String {
        Hex.encode(
            values.flatMap { [UInt8($0 >> 24), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 & 0xFF)] })
    }

    /// The estimated Jaccard similarity, 0…1.
    public func similarity(to other: MinHashSignature) -> Double {
        Double(zip(values, other.values).filter { $0 == $1 }.count) / Double(Self.count)
    }
}

/// Computes MinHash signatures with permutations derived from the federation key, so every member computes the
/// same signature for the same text and outsiders cannot.
///
/// Each 5-gram (of Unicode scalars; a shorter text is one gram) is hashed once to 64 bits with SipHash-like
/// keyed mixing, then permuted 128 ways by xor with a derived seed followed by a 64-bit finaliser; the top 32
/// bits are kept.
public struct MinHasher: Sendable {
    /// The shingle length in Unicode scalars.
    public static let shingleLength = 5

    let gramKey: UInt64
    let seeds: [UInt64]

    /// Derives the permutations from the federation key.
    public init(key: FederationKey) {
        let material = key.derived("text.minhash", length: 8 * (MinHashSignature.count + 1)).withUnsafeBytes {
            Array($0)
        }
        func word(_ index: Int) -> UInt64 {
            material[(8 * index)..<(8 * index + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        gramKey = word(0)
        seeds = (1...MinHashSignature.count).map(word)
    }

    /// The signature of an already normalised text.
    public func signature(of normalized: String) -> MinHashSignature {
        var minima = [UInt64](repeating: .max, count: MinHashSignature.count)
        let scalars = Array(normalized.unicodeScalars).map(\.value)
        let grams = max(1, scalars.count - Self.shingleLength + 1)
        for start in 0..<grams {
            var hash = gramKey
            for scalar in scalars[start..<min(scalars.count, start + Self.shingleLength)] {
                hash = Self.mix(hash ^ UInt64(scalar))
            }
            for index in 0..<MinHashSignature.count {
                let permuted = Self.mix(hash ^ seeds[index])
                if permuted < minima[index] { minima[index] = permuted }
            }
        }
        return MinHashSignature(values: minima.map { UInt32($0 >> 32) })
    }

    /// The SplitMix64 finaliser: a bijection on 64 bits with full avalanche.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
