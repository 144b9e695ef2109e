/// RFC 8785 (JSON Canonicalization Scheme) serialisation: the only way Weft produces bytes that get signed.
///
/// Members are ordered by the UTF-16 code units of their names, strings use the minimal escapes of
/// ECMAScript's `JSON.stringify`, numbers use ECMAScript's shortest form, and there is no whitespace.
/// Foundation's `JSONEncoder` must never be used for signed bytes: it escapes `/` and orders keys differently.
///
/// ```swift
/// let bytes = try CanonicalJSON.encode(["b": 1, "a": [true, nil]])
/// // {"a":[true,null],"b":1}
/// ```
public enum CanonicalJSON {
    /// Returns the canonical bytes of `value`.
    /// - Throws: ``JSONError`` with code `.nonFiniteNumber` for NaN or infinite numbers.
    public static func encode(_ value: JSONValue) throws(JSONError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try write(value, into: &out)
        return out
    }

    /// Returns the canonical text of `value`.
    public static func string(_ value: JSONValue) throws(JSONError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .number(let number):
            guard let text = ECMAScriptNumber.format(number) else {
                throw JSONError(.nonFiniteNumber, offset: nil, "\(number) has no JSON form")
            }
            out += Array(text.utf8)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(members[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Member names in RFC 8785 §3.2.3 order: by UTF-16 code units, not by scalars or bytes.
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        let keys = Array(members.keys)
        // ASCII names (nearly all of ours) order the same in UTF-8 and UTF-16, and UTF-8 comparison is cheap.
        if keys.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) {
            return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        return keys.map { ($0, Array($0.utf16)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (hex, days, ids, URLs) need no escape: copy them whole.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        if plain == true {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
