import Testing

@testable import WeftCore

/// What the strict parser refuses, each with its own error code.
@Suite struct JSONParserTests {
    func code(_ text: String, _ options: JSONParser.Options = .standard) -> JSONError.Code? {
        do {
            _ = try JSONParser.parse(text, options: options)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func duplicateKeysAreRefused() {
        #expect(code(#"{"a":1,"a":1}"#) == .duplicateKey)
        #expect(code(#"{"a":{"b":1,"b":2}}"#) == .duplicateKey)
        #expect(code(#"{"\u0061":1,"a":2}"#) == .duplicateKey)  // equal after unescaping
    }

    @Test func loneSurrogatesAreRefused() {
        #expect(code(#""\ud800""#) == .loneSurrogate)
        #expect(code(#""\udc00""#) == .loneSurrogate)
        #expect(code(#""\ud83d\u0041""#) == .loneSurrogate)
        #expect(code(#""\ud83dx""#) == .loneSurrogate)
        #expect(code(#""\ud83d\ude00""#) == nil)
    }

    @Test func numbersOutsideTheSafeRangeAreRefused() {
        #expect(code("9007199254740992") == nil)
        #expect(code("-9007199254740992") == nil)
        #expect(code("9007199254740994") == .numberOutOfRange)
        #expect(code("-1e16") == .numberOutOfRange)
        #expect(code("1e30") == .numberOutOfRange)
        #expect(code("1e30", .anyFiniteNumber) == nil)
        #expect(code("1e400", .anyFiniteNumber) == .nonFiniteNumber)
    }

    @Test func nonCanonicalTextIsRefusedWhenCanonicalFormIsRequired() {
        #expect(code(#"{"a":1,"b":2}"#, .canonical) == nil)
        for text in [
            #"{"b":2,"a":1}"#, #"{"a": 1}"#, " 1", "1.0", "1e2", #""\/""#, #""\u0041""#, "-0", #""\u00e9""#,
            "[1,2] ",
        ] {
            #expect(code(text, .canonical) == .nonCanonical, "\(text)")
        }
    }

    @Test func malformedSyntaxIsRefused() {
        for text in [
            "", "{", "[1,]", "{\"a\"}", "01", "1.", ".5", "+1", "tru", "nul", "\"abc", "\"a\u{1}b\"", #""\x""#,
            "[1 2]", "{\"a\":1,}", "1 2", "NaN",
        ] {
            #expect(code(text) == .syntax, "\(text.debugDescription)")
        }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(
            performing: { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) },
            throws: { ($0 as? JSONError)?.code == .invalidUTF8 })
        #expect(
            performing: { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) },  // an encoded surrogate
            throws: { ($0 as? JSONError)?.code == .invalidUTF8 })
    }

    @Test func stringsKeepTheirTextWhetherASCIIOrNot() throws {
        for text in ["", "plain ascii", "caf\u{E9}", "\u{65E5}\u{672C}", "\u{1F600} emoji", "a\u{7F}b"] {
            let parsed = try JSONParser.parse(Array("\"\(text)\"".utf8))
            #expect(parsed == .string(text), "\(text.debugDescription)")
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(code(deep) == .tooDeep)
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(code(fine) == nil)
    }

    @Test func errorsSayWhere() throws {
        let error = try #require(throws: JSONError.self) { try JSONParser.parse(#"{"a":1,"a":2}"#) }
        #expect(error.offset == 7)
        #expect(error.description.contains("\"a\" appears more than once"))
    }
}
