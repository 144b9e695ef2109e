import Foundation
import Testing

@testable import WeftCore

/// RFC 8785's published examples, and the refusals our strict parser owes signed data.
@Suite struct CanonicalJSONTests {
    @Test func rfc8785Section322Example() throws {
        // RFC 8785 §3.2.2: input with spaces, 1E30, 4.50, 2e-3, escapes of every sort.
        let input = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let value = try JSONParser.parse(input, options: .anyFiniteNumber)
        let expected =
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try CanonicalJSON.string(value) == expected)
    }

    @Test func rfc8785Section323PropertySorting() throws {
        // RFC 8785 §3.2.3: names sort by UTF-16 code units, so the emoji (a surrogate pair, 0xD83D…) sorts before
        // U+FB33 although its scalar value is larger.
        let input = #"""
            {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
             "\u00f6": "Latin Small Letter O With Diaeresis"}
            """#
        let output = try CanonicalJSON.string(try JSONParser.parse(input))
        let names = ["\r", "1", "\u{80}", "ö", "€", "😀", "\u{FB33}"]
        var position = output.startIndex
        for name in names {
            let quoted = try CanonicalJSON.string(.string(name))
            let found = try #require(output.range(of: quoted + ":", range: position..<output.endIndex))
            position = found.upperBound
        }
        #expect(output.hasPrefix(#"{"\r":"Carriage Return","1":"One","#))
    }

    /// RFC 8785 Appendix B: IEEE-754 bit patterns and their ECMAScript strings (checked against node's
    /// `JSON.stringify` on this machine when the table was written).
    static let appendixB: [(UInt64, String)] = [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"), (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"), (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"),
        (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"), (0x4340_0000_0000_0000, "9007199254740992"),
        (0xC340_0000_0000_0000, "-9007199254740992"), (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"), (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"),
        (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"), (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"), (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ]

    @Test(arguments: appendixB) func rfc8785AppendixBNumbers(bits: UInt64, expected: String) throws {
        let value = Double(bitPattern: bits)
        #expect(try CanonicalJSON.string(.number(value)) == expected)
        // And the string reads back as the very same double.
        #expect(Double(expected)!.bitPattern == (value == 0 ? 0 : bits))
    }

    @Test func nonFiniteNumbersHaveNoJSONForm() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: JSONError.self) { try CanonicalJSON.encode(.number(value)) }
            #expect((try? CanonicalJSON.encode(.number(value))) == nil)
        }
        #expect(
            performing: { try CanonicalJSON.encode(.number(.nan)) },
            throws: { ($0 as? JSONError)?.code == .nonFiniteNumber })
    }

    @Test func stringEscapesAreMinimal() throws {
        #expect(try CanonicalJSON.string("a/b") == #""a/b""#)  // never \/
        #expect(try CanonicalJSON.string("\u{1}\u{8}\t\n\u{B}\u{C}\r\u{1F}") == #""\u0001\b\t\n\u000b\f\r\u001f""#)
        #expect(try CanonicalJSON.string("\u{7F}é\u{2028}😀") == "\"\u{7F}é\u{2028}😀\"")
    }
}
