import Foundation
import Testing

@testable import WeftCore

/// `CanonicalShape` is a shortcut for the canonical-form check: whenever it says "evident", the full
/// encode-and-compare check must agree, and it must say "evident" for the payload shape Weft itself writes.
@Suite struct CanonicalShapeTests {
    typealias SplitMix = CanonicalJSONPropertyTests.SplitMix

    /// The full check, the definition the shortcut must never contradict.
    static func isCanonical(_ bytes: [UInt8]) -> Bool {
        guard let value = try? JSONParser.parse(bytes, options: .standard),
            let canonical = try? CanonicalJSON.encode(value)
        else { return false }
        return canonical == bytes
    }

    /// Changes one canonical text the ways non-canonical texts differ: whitespace, swapped or repeated members,
    /// other number spellings, escapes that need not be there, a character replaced.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var text = String(decoding: bytes, as: UTF8.self)
        let edits: [(String, String)] = [
            (":", ": "), (",", " ,"), ("1", "1.0"), ("1", "1e0"), ("0", "-0"), ("2", "02"), ("a", "\\u0061"),
            ("/", "\\/"), ("\"a\"", "\"b\""), ("\"b\"", "\"a\""), ("{", "{ "), ("]", "]\n"), ("9", "9.5"),
            ("true", "True"), ("null", "nul"), ("\"", "\"\""),
        ]
        let (from, to) = edits.randomElement(using: &rng)!
        if let range = text.range(of: from) { text.replaceSubrange(range, with: to) }
        var result = Array(text.utf8)
        if !result.isEmpty, Bool.random(using: &rng) {
            result[Int.random(in: 0..<result.count, using: &rng)] = UInt8.random(in: 0x20...0x7E, using: &rng)
        }
        return result
    }

    static func asciiValue(_ rng: inout SplitMix, depth: Int = 0) -> JSONValue {
        let names = ["a", "b", "case", "kind", "value", "z", "A", "_", "first_seen", "prevalence"]
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int.random(in: -999_999_999_999_999...999_999_999_999_999, using: &rng))
        case 3: return .string(String(names.randomElement(using: &rng)!.reversed()) + " /.:")
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in asciiValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                members[names.randomElement(using: &rng)!] = asciiValue(&rng, depth: depth + 1)
            }
            return .object(members)
        }
    }

    @Test func evidentMeansCanonical() throws {
        var rng = SplitMix(state: 31)
        var evident = 0
        for round in 0..<6000 {
            let value =
                round.isMultiple(of: 2)
                ? Self.asciiValue(&rng) : CanonicalJSONPropertyTests.randomValue(&rng)
            let canonical = try CanonicalJSON.encode(value)
            for bytes in [canonical, Self.mutate(canonical, &rng), Self.mutate(Self.mutate(canonical, &rng), &rng)]
            where CanonicalShape.isEvident(bytes) {
                evident += 1
                #expect(Self.isCanonical(bytes), "evident but not canonical: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(evident > 3000)
    }

    @Test func theShapeWeftWritesIsEvident() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<2000 {
            let value = Self.asciiValue(&rng)
            #expect(CanonicalShape.isEvident(try CanonicalJSON.encode(value)))
        }
        let bundles = Fixtures.bundles(
            key: OriginKey(), cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(50))
        #expect(!bundles.isEmpty)
        for bundle in bundles { #expect(CanonicalShape.isEvident(bundle.envelope.payload)) }
    }

    @Test func textsOutsideTheShapeAreNotClaimed() {
        for text in [
            #"{"b":1,"a":2}"#, #"{"a":1,"a":1}"#, #"{"a": 1}"#, " 1", "-0", "01", "1.5", "1e3", "1234567890123456",
            #""\u0041""#, #""é""#, #""a\/b""#, "[1,]", "{", "tru", #"{"a":1}x"#, "",
        ] {
            #expect(!CanonicalShape.isEvident(Array(text.utf8)), "\(text)")
        }
        for text in [#"{"a":1,"b":[true,false,null],"c":"x y"}"#, "0", "-7", "999999999999999", "[]", "{}"] {
            #expect(CanonicalShape.isEvident(Array(text.utf8)), "\(text)")
        }
    }
}
