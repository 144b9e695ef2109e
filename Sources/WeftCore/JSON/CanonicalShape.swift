/// A quick proof that JSON bytes are already in RFC 8785 form, without building a value or re-serialising it.
///
/// The proof covers the shape almost every signed payload has: no whitespace, member names in strictly
/// increasing byte order, strings of printable ASCII without escapes, integers of at most 15 digits (exact as
/// doubles, written the same by ECMAScript), and the three literals. Within that shape the canonical encoding of
/// the parsed value is the input itself. Anything outside it (an escape, a non-ASCII character, a fraction) is
/// not proven either way; callers then run the full encode-and-compare check, which stays the definition.
public enum CanonicalShape {
    /// True when `bytes` are provably the canonical form of the JSON value they hold. False means "not shown
    /// here", not "not canonical".
    public static func isEvident(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer, member: nil)
            return scanner.value(depth: 0) && scanner.index == buffer.count
        }
    }

    /// ``isEvident(_:)`` that also finds, in the same pass, where the value of the top-level object's member
    /// `name` lies: nil when the bytes are not evident; otherwise the value's byte range, or nil inside when
    /// the top level is not an object or has no such member.
    public static func evidentMember(_ name: StaticString, in bytes: [UInt8]) -> Range<Int>?? {
        bytes.withUnsafeBufferPointer { buffer in
            let wanted = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            var scanner = Scanner(bytes: buffer, member: wanted)
            guard scanner.value(depth: 0), scanner.index == buffer.count else { return nil }
            return .some(scanner.memberValue)
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// The name of the top-level member whose value to locate, and where that value was found.
        let member: UnsafeBufferPointer<UInt8>?
        var memberValue: Range<Int>?

        init(bytes: UnsafeBufferPointer<UInt8>, member: UnsafeBufferPointer<UInt8>?) {
            self.bytes = bytes
            self.member = member
        }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func value(depth: Int) -> Bool {
            guard depth < 64, let byte = current else { return false }
            switch byte {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer()
            default: return false
            }
        }

        /// A string of printable ASCII without escapes; returns the range of its content.
        mutating func string() -> Range<Int>? {
            index += 1
            let start = index
            while let byte = current {
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return start..<(index - 1)
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        mutating func object(depth: Int) -> Bool {
            index += 1
            if current == UInt8(ascii: "}") {
                index += 1
                return true
            }
            var previous: Range<Int>?
            while true {
                guard current == UInt8(ascii: "\""), let name = string() else { return false }
                if let previous {
                    // ASCII names order the same by bytes as by UTF-16 code units (RFC 8785 §3.2.3).
                    guard bytes[previous].lexicographicallyPrecedes(bytes[name]) else { return false }
                }
                previous = name
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                let valueStart = index
                guard value(depth: depth) else { return false }
                if depth == 1, let member, bytes[name].elementsEqual(member) { memberValue = valueStart..<index }
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return true
                default: return false
                }
            }
        }

        mutating func array(depth: Int) -> Bool {
            index += 1
            if current == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                guard value(depth: depth) else { return false }
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return true
                default: return false
                }
            }
        }

        /// `0`, or an optional minus and 1–15 digits without a leading zero; nothing that makes it a fraction.
        mutating func integer() -> Bool {
            let negative = current == UInt8(ascii: "-")
            if negative { index += 1 }
            let start = index
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            let digits = index - start
            guard digits >= 1, digits <= 15 else { return false }
            if bytes[start] == UInt8(ascii: "0"), digits > 1 || negative { return false }
            switch current {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return false
            default: return true
            }
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let expected = UnsafeBufferPointer(start: text.utf8Start, count: count)
            guard bytes[index..<(index + count)].elementsEqual(expected) else { return false }
            index += count
            return true
        }
    }
}
