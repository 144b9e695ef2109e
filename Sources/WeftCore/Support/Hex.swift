import Crypto
import Foundation

/// Lower-case hexadecimal, the form every digest and identifier takes on the wire.
public enum Hex {
    /// Encodes bytes as lower-case hex.
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        // Written straight into the string's storage: ids and keys are encoded once per report on intake.
        let bytes = Array(bytes)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = digit(byte >> 4)
                out[2 * index + 1] = digit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Decodes lower-case hex; returns `nil` for odd length, upper case or any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// True when `text` is exactly `count` lower-case hex digits.
    public static func isLowercaseHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { nibble($0) != nil }
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// The lower-case hex SHA-256 of `bytes`.
    public static func sha256<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        encode(SHA256.hash(data: bytes))
    }
}

extension Array where Element == UInt8 {
    /// The offset of the first byte where `self` and `other` differ (the shorter length if one is a prefix of the
    /// other), or `nil` when they are equal.
    public func firstDifference(from other: [UInt8]) -> Int? {
        if self == other { return nil }
        for index in 0..<Swift.min(count, other.count) where self[index] != other[index] { return index }
        return Swift.min(count, other.count)
    }
}
