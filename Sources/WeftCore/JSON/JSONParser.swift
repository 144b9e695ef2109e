/// A strict JSON parser (RFC 8259 grammar, I-JSON restrictions of RFC 7493).
///
/// It refuses what signed data must never contain: duplicate member names, lone surrogates, invalid UTF-8,
/// and numbers outside the accepted range. With ``Options/requireCanonical`` it also refuses any text whose
/// bytes differ from the RFC 8785 form of the value they hold, so a verifier knows the signed bytes are the
/// only encoding of their content.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"a":1}"#.utf8), options: .canonical)
/// ```
public struct JSONParser {
    /// What the parser accepts beyond plain RFC 8259 syntax.
    public struct Options: Sendable {
        /// The largest magnitude a number may have. Defaults to 2^53, the range where every integer is exact.
        public var maximumMagnitude: Double
        /// Refuse input that is not byte-for-byte the RFC 8785 canonical form of its value.
        public var requireCanonical: Bool
        /// How deeply arrays and objects may nest.
        public var maximumDepth: Int

        /// Creates options.
        public init(
            maximumMagnitude: Double = 9_007_199_254_740_992, requireCanonical: Bool = false,
            maximumDepth: Int = 64
        ) {
            self.maximumMagnitude = maximumMagnitude
            self.requireCanonical = requireCanonical
            self.maximumDepth = maximumDepth
        }

        /// Ordinary input (JSONL files, API bodies): any layout, numbers within ±2^53.
        public static let standard = Options()
        /// Signed payloads: canonical bytes only, numbers within ±2^53.
        public static let canonical = Options(requireCanonical: true)
        /// Any finite number, any layout: for reading JSON from elsewhere, such as RFC 8785's own examples.
        public static let anyFiniteNumber = Options(maximumMagnitude: .greatestFiniteMagnitude)
    }

    /// Parses one JSON value filling all of `bytes` (whitespace around it allowed unless canonical form is
    /// required).
    public static func parse(_ bytes: [UInt8], options: Options = .standard) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, options: options)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONError(.syntax, offset: parser.index, "unexpected data after the JSON value")
        }
        if options.requireCanonical, !CanonicalShape.isEvident(bytes) {
            let canonical = try CanonicalJSON.encode(value)
            if let at = canonical.firstDifference(from: bytes) {
                throw JSONError(.nonCanonical, offset: at, "the JSON text is not in RFC 8785 canonical form")
            }
        }
        return value
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String, options: Options = .standard) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }

    private let bytes: [UInt8]
    private let options: Options
    private var index = 0

    private init(bytes: [UInt8], options: Options) {
        self.bytes = bytes
        self.options = options
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func fail(_ code: JSONError.Code, _ message: String) -> JSONError {
        JSONError(code, offset: index, message)
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw fail(.syntax, "unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail(.syntax, "expected a JSON value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard index + count <= bytes.count, bytes[index..<(index + count)].elementsEqual(expected) else {
            throw fail(.syntax, "expected '\(literal)'")
        }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw fail(.tooDeep, "nesting deeper than \(options.maximumDepth)") }
        index += 1
        // Records have up to about ten members: growing from empty rehashed each object three or four times.
        var members = [String: JSONValue](minimumCapacity: 12)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail(.syntax, "expected a member name in double quotes")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail(.syntax, "expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if members.updateValue(value, forKey: key) != nil {
                throw JSONError(.duplicateKey, offset: keyOffset, "member name \"\(key)\" appears more than once")
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail(.syntax, "unexpected end of input in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw fail(.syntax, "expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= options.maximumDepth else { throw fail(.tooDeep, "nesting deeper than \(options.maximumDepth)") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw fail(.syntax, "unexpected end of input in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            throw fail(.syntax, "expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws(JSONError) -> Double {
        let start = index
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.syntax, "expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail(.syntax, "numbers may not have leading zeros") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.syntax, "expected a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail(.syntax, "expected exponent digits") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let digits = bytes[start] == UInt8(ascii: "-") ? index - start - 1 : index - start
        if digits <= 15, bytes[(index - digits)..<index].allSatisfy(isDigit) {
            // A plain integer below 10^15 is exact as a double; skip building text for Double(_:).
            let magnitude = Double(
                bytes[(index - digits)..<index].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
            if magnitude <= options.maximumMagnitude {
                return bytes[start] == UInt8(ascii: "-") ? -magnitude : magnitude
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONError(.nonFiniteNumber, offset: start, "number \(text) does not fit a double")
        }
        guard value.magnitude <= options.maximumMagnitude else {
            throw JSONError(
                .numberOutOfRange, offset: start,
                "number \(text) is outside ±\(ECMAScriptNumber.format(options.maximumMagnitude)!)")
        }
        return value
    }

    private mutating func parseString() throws(JSONError) -> String {
        index += 1  // opening quote
        var runStart = index
        var bitsSeen: UInt8 = 0  // OR of the run's bytes: below 0x80 means ASCII, valid UTF-8 by construction
        // Most strings have no escape: validate their bytes in place instead of copying them first.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\\"), bytes[index] != UInt8(ascii: "\""),
            bytes[index] >= 0x20
        {
            bitsSeen |= bytes[index]
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            // From a contiguous buffer, and ASCII without `String(validating:)`: that initializer is generic and
            // looked up runtime metadata for every string (the slice overload a fifth of a bundle's parse, the
            // buffer one still a ninth of the stateless steps).
            let range = runStart..<index
            let text = bytes.withUnsafeBufferPointer { buffer in
                let run = UnsafeBufferPointer(rebasing: buffer[range])
                return bitsSeen < 0x80 ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
            }
            guard let text else { throw fail(.invalidUTF8, "string is not valid UTF-8") }
            index += 1
            return text
        }
        var scalars = Array(bytes[runStart..<index])
        runStart = index
        while true {
            guard index < bytes.count else { throw fail(.syntax, "unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scalars += bytes[runStart..<index]
                index += 1
                break
            }
            if byte < 0x20 { throw fail(.syntax, "control character U+00\(hexByte(byte)) must be escaped") }
            if byte == UInt8(ascii: "\\") {
                scalars += bytes[runStart..<index]
                try parseEscape(into: &scalars)
                runStart = index
                continue
            }
            index += 1
        }
        guard let text = String(validating: scalars, as: UTF8.self) else {
            throw fail(.invalidUTF8, "string is not valid UTF-8")
        }
        return text
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONError) {
        index += 1
        guard index < bytes.count else { throw fail(.syntax, "unterminated escape") }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            var scalarValue = UInt32(first)
            if (0xD800...0xDBFF).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail(.loneSurrogate, "high surrogate \\u\(String(first, radix: 16)) has no low half") }
                index += 2
                let second = try parseHex4()
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw fail(.loneSurrogate, "high surrogate \\u\(String(first, radix: 16)) has no low half")
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw fail(.loneSurrogate, "low surrogate \\u\(String(first, radix: 16)) has no high half")
            }
            out += Array(String(Unicode.Scalar(scalarValue)!).utf8)
        default: throw fail(.syntax, "unknown escape '\\\(Character(Unicode.Scalar(escape)))'")
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw fail(.syntax, "\\u needs four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.syntax, "\\u needs four hex digits")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private func hexByte(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return text.count == 1 ? "0" + text : text
    }
}
