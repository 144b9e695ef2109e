import Foundation
import TestScratch
import Testing

@testable import WeftCore

/// Origin keys on disk, DSSE's pre-authentication encoding, and envelope parsing.
@Suite struct SigningTests {
    func temporaryPath() -> String {
        TestScratch.path("weft-key")
    }

    @Test func keyFileIsWrittenPrivateAndReadsBack() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = OriginKey()
        try key.write(to: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try OriginKey.read(from: path).originID == key.originID)
    }

    @Test func keyFileReadableByOthersIsRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OriginKey().write(to: path)
        for mode in [0o644, 0o640, 0o604] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            let error = #expect(throws: OriginKeyError.self) { try OriginKey.read(from: path) }
            #expect(error?.reason.contains("chmod 600") == true)
        }
    }

    @Test func keyFileIsNeverOverwritten() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = OriginKey()
        try first.write(to: path)
        #expect(throws: OriginKeyError.self) { try OriginKey().write(to: path) }
        #expect(try OriginKey.read(from: path).originID == first.originID)
    }

    @Test func originIDIsSHA256OfThePublicKey() throws {
        let key = try OriginKey(seed: Array(repeating: 7, count: 32))
        #expect(key.originID.hex == Hex.sha256(key.publicKey.rawRepresentation))
        #expect(throws: OriginKeyError.self) { try OriginKey(seed: [1, 2, 3]) }
    }

    @Test func preAuthenticationEncodingMatchesTheDSSEVector() {
        // The DSSE protocol document's example: PAE("http://example.com/HelloWorld", "hello world").
        let pae = DSSEEnvelope.preAuthenticationEncoding(
            payloadType: "http://example.com/HelloWorld",
            payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test func envelopeRoundTripsAndRefusesSloppyBase64() throws {
        let envelope = DSSEEnvelope(
            payloadType: "t", payload: [1, 2, 3, 250],
            signatures: [.init(keyID: "k", signature: [9, 9])])
        #expect(try DSSEEnvelope(jsonBytes: envelope.jsonBytes) == envelope)
        let unpadded = #"{"payload":"AQID+g","payloadType":"t","signatures":[{"keyid":"k","sig":"CQk="}]}"#
        #expect(throws: RecordError.self) { try DSSEEnvelope(jsonBytes: Array(unpadded.utf8)) }
        let unsigned = #"{"payload":"AQID+g==","payloadType":"t","signatures":[]}"#
        let error = #expect(throws: RecordError.self) { try DSSEEnvelope(jsonBytes: Array(unsigned.utf8)) }
        #expect(error?.reason == "the envelope is unsigned")
    }
}
