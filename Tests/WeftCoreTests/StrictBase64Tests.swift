import Foundation
import Testing

@testable import WeftCore

/// ``StrictBase64`` against the rule it replaced: Foundation decodes the text and re-encodes it to the same text.
@Suite struct StrictBase64Tests {
    /// The old rule, kept here as the reference.
    static func reference(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return Array(data)
    }

    @Test func everyEncodingDecodesToItsBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Data(bytes).base64EncodedString()
            #expect(StrictBase64.decode(text) == bytes, "\(text)")
        }
    }

    @Test func spellingsThatDecodeToTheSameBytesAreRefused() {
        // "AQID+g==" is canonical; the others decode to the same bytes with lenient readers.
        #expect(StrictBase64.decode("AQID+g==") == [1, 2, 3, 250])
        for text in ["AQID+h==", "AQID+g", "AQID+g=", "AQID+g===", " AQID+g==", "AQID\n+g==", "AQI=D+g=", "===="] {
            #expect(StrictBase64.decode(text) == nil, "\(text)")
            #expect(Self.reference(text) == nil, "the reference accepts \(text)")
        }
        #expect(StrictBase64.decode("AQI=") == [1, 2])
        #expect(StrictBase64.decode("AQJ=") == nil)
        #expect(StrictBase64.decode("") == [])
    }

    /// Random texts over the alphabet, padding and a few strays: both rules make the same decision and, when
    /// they accept, give the same bytes.
    @Test func decisionsMatchTheReferenceOnRandomTexts() {
        let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let strays = Array("=-_ \n.é".utf8)
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<20_000 {
            let length = Int.random(in: 0...12, using: &generator)
            var text = (0..<length).map { _ in symbols.randomElement(using: &generator)! }
            if round % 3 == 0, !text.isEmpty { text[text.count - 1] = UInt8(ascii: "=") }
            if round % 5 == 0, text.count > 1 { text[text.count - 2] = UInt8(ascii: "=") }
            if round % 7 == 0, !text.isEmpty {
                text[Int.random(in: 0..<text.count, using: &generator)] = strays.randomElement(using: &generator)!
            }
            let string = String(decoding: text, as: UTF8.self)
            let expected = Self.reference(string)
            #expect(StrictBase64.decode(string) == expected, "\(string)")
            if expected != nil { accepted += 1 }
        }
        #expect(accepted > 1_000, "the random texts should include many valid ones")
    }
}
