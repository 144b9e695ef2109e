import Testing

@testable import WeftCore

/// Round-trip properties over many generated values: canonical bytes parse back (in strict canonical mode) to
/// the same value, and encoding is a fixed point.
@Suite struct CanonicalJSONPropertyTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomString(_ rng: inout SplitMix) -> String {
        let pool: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "\u{2028}",
            "😀", "\u{FB33}", "中", "\u{10FFFF}", "\n", "\t",
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &rng) { scalars.append(pool.randomElement(using: &rng)!) }
        return String(scalars)
    }

    static func randomNumber(_ rng: inout SplitMix) -> Double {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Double(Int.random(in: -9_007_199_254_740_992...9_007_199_254_740_992, using: &rng))
        case 1: return Double(Int.random(in: -1000...1000, using: &rng))
        case 2: return Double.random(in: -1e6...1e6, using: &rng)
        default:
            let value = Double(bitPattern: rng.next())
            return value.isFinite && value.magnitude <= 9_007_199_254_740_992 ? value : 0.5
        }
    }

    static func randomValue(_ rng: inout SplitMix, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(randomNumber(&rng))
        case 3: return .string(randomString(&rng))
        case 4: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                members[randomString(&rng)] = randomValue(&rng, depth: depth + 1)
            }
            return .object(members)
        }
    }

    @Test func canonicalBytesRoundTrip() throws {
        var rng = SplitMix(state: 8785)
        for _ in 0..<3000 {
            let value = Self.randomValue(&rng)
            let bytes = try CanonicalJSON.encode(value)
            let parsed = try JSONParser.parse(bytes, options: .canonical)
            #expect(parsed == value)
            #expect(try CanonicalJSON.encode(parsed) == bytes)
        }
    }

    @Test func reportCanonicalBytesEqualTheGenericEncoder() throws {
        var rng = SplitMix(state: 1024)
        let kinds: [(IndicatorKind, (inout SplitMix) -> String)] = [
            (.domain, { "d\(Int.random(in: 0...999, using: &$0)).example.com" }),
            (.url, { "https://example.com/\(Int.random(in: 0...999, using: &$0))?q=\\\"x" }),
            (.hashtag, { _ in "台湾\u{2028}\"tag" }),
            (.sha256, { rng in Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }) }),
        ]
        let labelPool = ["disarm:1.6:T0084.001", "killchain:6.1.3", "tag:a-b", "tag:z"]
        for _ in 0..<500 {
            let (kind, make) = kinds.randomElement(using: &rng)!
            guard let indicator = try? Indicator(kind: kind, value: make(&rng)) else { continue }
            let posting = Int.random(in: 0...100_000, using: &rng)
            let report = try Report(
                caseID: try CaseID("case-\(Int.random(in: 0...99, using: &rng)):x"), indicator: indicator,
                firstSeen: try Day("2023-05-01"), lastSeen: try Day("2024-02-29"),
                confidence: Int.random(in: 0...100, using: &rng),
                labels: try labelPool.filter { _ in Bool.random(using: &rng) }.map(Label.init),
                postingAccounts: PrevalenceBucket(count: posting),
                flaggedAccounts: PrevalenceBucket(count: Int.random(in: 0...posting, using: &rng)))
            #expect(report.canonicalBytes == (try CanonicalJSON.encode(report.json)))
        }
    }

    @Test func numbersRoundTripExactly() throws {
        var rng = SplitMix(state: 53)
        for _ in 0..<20000 {
            let value = Double(bitPattern: rng.next())
            guard value.isFinite else { continue }
            let text = try #require(ECMAScriptNumber.format(value))
            let back = try #require(Double(text))
            #expect(back == value, "\(value) → \(text)")
        }
    }
}
