/// Standard base64 (RFC 4648 §4) with padding, read strictly: every text decodes to at most one byte string and
/// every byte string has exactly one accepted text. That is what DSSE envelopes need (one payload, one spelling).
///
/// Rejected: lengths that are not a multiple of four, characters outside the alphabet (whitespace included),
/// padding anywhere but the last one or two places, and non-zero bits in the unused low bits of the last
/// character before padding (the spellings that decode to the same bytes as the canonical one).
///
/// The envelope used to decode with Foundation and re-encode to compare, which built a second copy of every
/// payload; at a million reports that comparison was a few percent of the stateless steps.
enum StrictBase64 {
    /// The bytes `text` spells, or nil if it is not canonical padded base64.
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    /// ``decode(_:)`` over UTF-8 code units.
    static func decode(utf8 text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        guard !text.isEmpty else { return [] }
        let padding = text[text.count - 1] == equals ? (text[text.count - 2] == equals ? 2 : 1) : 0
        let significant = text.count - padding
        var failed = UInt8(0)  // any character outside the alphabet sets bit 7; one test at the end
        let decoded = [UInt8](unsafeUninitializedCapacity: text.count / 4 * 3 - padding) { bytes, count in
            var output = 0
            var index = 0
            while index + 4 <= significant {
                let a = table[Int(text[index])]
                let b = table[Int(text[index + 1])]
                let c = table[Int(text[index + 2])]
                let d = table[Int(text[index + 3])]
                failed |= a | b | c | d
                let sextets =
                    UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                bytes[output] = UInt8(truncatingIfNeeded: sextets >> 16)
                bytes[output + 1] = UInt8(truncatingIfNeeded: sextets >> 8)
                bytes[output + 2] = UInt8(truncatingIfNeeded: sextets)
                output += 3
                index += 4
            }
            if padding > 0 {
                let a = table[Int(text[index])]
                let b = table[Int(text[index + 1])]
                let c = padding == 1 ? table[Int(text[index + 2])] : 0
                failed |= a | b | c
                // The bits past the last whole byte must be zero: 4 of them with two padding characters, 2 with one.
                failed |= padding == 2 ? (b & 0x0F == 0 ? 0 : invalid) : (c & 0x03 == 0 ? 0 : invalid)
                let sextets = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6
                bytes[output] = UInt8(truncatingIfNeeded: sextets >> 16)
                output += 1
                if padding == 1 {
                    bytes[output] = UInt8(truncatingIfNeeded: sextets >> 8)
                    output += 1
                }
            }
            count = output
        }
        return failed & invalid == 0 ? decoded : nil
    }

    private static let equals = UInt8(ascii: "=")
    private static let invalid: UInt8 = 0x80

    /// Each byte's sextet, or ``invalid`` for bytes outside the alphabet ("=" included: padding is handled apart).
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
}
