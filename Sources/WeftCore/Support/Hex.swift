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

    /// Encodes a SHA-256 digest as lower-case hex, reading its bytes in place (two per report on intake).
    public static func encode(_ digest: SHA256Digest) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 64) { out in
                for (index, byte) in bytes.enumerated() {
                    out[2 * index] = digit(byte >> 4)
                    out[2 * index + 1] = digit(byte & 0x0F)
                }
                return 64
            }
        }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Decodes lower-case hex; returns `nil` for odd length, upper case or any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { utf8 -> [UInt8]? in
            guard utf8.count % 2 == 0 else { return nil }
            var valid = true
            let out = [UInt8](unsafeUninitializedCapacity: utf8.count / 2) { buffer, written in
                var bad: UInt8 = 0
                for index in 0..<(utf8.count / 2) {
                    let high = nibbleValues[Int(utf8[2 * index])]
                    let low = nibbleValues[Int(utf8[2 * index + 1])]
                    bad |= (high | low) & 0xF0
                    buffer[index] = high << 4 | low & 0x0F
                }
                valid = bad == 0
                written = utf8.count / 2
            }
            return valid ? out : nil
        }
    }

    /// Decodes lower-case hex into `output`, which must hold exactly half as many bytes as `text` has digits;
    /// returns false (with `output` in an unspecified state) for a wrong length or any character that is not a
    /// lower-case hex digit. For callers that decode millions of values into storage of their own.
    public static func decode(_ text: String, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == 2 * output.count else { return false }
            var bad: UInt8 = 0
            for index in 0..<output.count {
                let high = nibbleValues[Int(utf8[2 * index])]
                let low = nibbleValues[Int(utf8[2 * index + 1])]
                bad |= (high | low) & 0xF0
                output[index] = high << 4 | low & 0x0F
            }
            return bad == 0
        }
    }

    /// True when `text` is exactly `count` lower-case hex digits.
    public static func isLowercaseHex(_ text: String, count: Int) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.count == count && utf8.reduce(UInt8(0)) { $0 | nibbleValues[Int($1)] } & 0xF0 == 0
        }
    }

    /// Each byte's value as a lower-case hex digit, or 0xFF. A table rather than a branch per byte: merges decode
    /// millions of 1,024-digit signatures.
    static let nibbleValues: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        default: 0xFF
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

extension SHA256Digest {
    /// The digest's first eight bytes as a big-endian integer: what the store's hash slots are taken from.
    public var leadingBits: UInt64 {
        withUnsafeBytes { bytes in bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    }
}
