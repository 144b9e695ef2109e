import Foundation
import Testing

@testable import WeftCore

/// Building, chaining and splitting bundles, and the stateless verification steps under tampering.
@Suite struct BundleTests {
    let key = OriginKey()

    @Test func bundlesChainBySeqAndPrev() throws {
        let first = Fixtures.bundles(key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(3))
        #expect(first.count == 1)
        #expect(first[0].payload.header.seq == 1 && first[0].payload.header.prev == nil)
        let head = FeedPosition(seq: 1, id: first[0].id)
        let second = Fixtures.bundles(key: key, after: head, cases: [], reports: try Fixtures.reports(2, prefix: "e"))
        #expect(second[0].payload.header.seq == 2)
        #expect(second[0].payload.header.prev == first[0].id)
        #expect(first[0].id == BundleID(payload: first[0].envelope.payload))
    }

    @Test func largePublicationsSplitAtTheReportLimit() throws {
        let bundles = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(2_500))
        #expect(bundles.map(\.payload.reports.count) == [1_000, 1_000, 500])
        #expect(bundles.map(\.payload.header.seq) == [1, 2, 3])
        #expect(bundles[0].payload.cases.count == 1 && bundles[1].payload.cases.isEmpty)
        for (index, bundle) in bundles.enumerated().dropFirst() {
            #expect(bundle.payload.header.prev == bundles[index - 1].id)
        }
    }

    @Test func payloadsStayUnderTheByteLimit() throws {
        let limits = BundleLimits(maximumPayloadBytes: 20_000)
        let bundles = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(300),
            limits: limits)
        #expect(bundles.count > 1)
        #expect(bundles.allSatisfy { $0.envelope.payload.count <= 20_000 })
        #expect(bundles.map(\.payload.reports.count).reduce(0, +) == 300)
    }

    func verifyStateless(_ bytes: [UInt8]) throws {
        let received = try ReceivedBundle(envelopeBytes: bytes)
        try received.checkSignature(with: key.publicKey)
        let (header, payload) = try received.readHeader()
        try received.checkCanonical(payload)
        _ = try received.readRecords(payload, header: header)
    }

    @Test func anUntouchedBundleVerifies() throws {
        let bundle = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(2))[0]
        try verifyStateless(bundle.envelopeBytes)
    }

    @Test func flippingAnyPayloadByteIsRejected() throws {
        let bundle = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(2))[0]
        for index in bundle.envelope.payload.indices {
            var envelope = bundle.envelope
            envelope.payload[index] ^= 0x01
            #expect(throws: BundleRejection.self, "payload byte \(index)") { try verifyStateless(envelope.jsonBytes) }
        }
    }

    @Test func flippingAnySignatureOrKeyIDByteIsRejected() throws {
        let bundle = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(1))[0]
        for index in bundle.envelope.signatures[0].signature.indices {
            var envelope = bundle.envelope
            envelope.signatures[0].signature[index] ^= 0x80
            #expect(
                performing: { try verifyStateless(envelope.jsonBytes) },
                throws: { ($0 as? BundleRejection)?.code == .badSignature })
        }
        let keyID = Array(bundle.envelope.signatures[0].keyID.utf8)
        for index in keyID.indices {
            var flipped = keyID
            flipped[index] = flipped[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            var envelope = bundle.envelope
            envelope.signatures[0].keyID = String(decoding: flipped, as: UTF8.self)
            #expect(throws: BundleRejection.self, "key id byte \(index)") { try verifyStateless(envelope.jsonBytes) }
        }
    }

    @Test func envelopeLevelRefusals() throws {
        let bundle = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(1))[0]
        func code(_ bytes: [UInt8], limits: BundleLimits = .standard) -> BundleRejection.Code? {
            do {
                _ = try ReceivedBundle(envelopeBytes: bytes, limits: limits)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(bundle.envelopeBytes) == nil)
        #expect(code(Array("not json".utf8)) == .malformedEnvelope)
        #expect(code(bundle.envelopeBytes, limits: BundleLimits(maximumPayloadBytes: 100)) == .tooLarge)
        var wrongType = bundle.envelope
        wrongType.payloadType = "application/json"
        #expect(code(wrongType.jsonBytes) == .malformedEnvelope)
        var twoSignatures = bundle.envelope
        twoSignatures.signatures.append(twoSignatures.signatures[0])
        #expect(code(twoSignatures.jsonBytes) == .malformedEnvelope)
        var unsigned = bundle.envelope
        unsigned.signatures = []
        #expect(code(unsigned.jsonBytes) == .malformedEnvelope)
    }

    @Test func tlpRedCannotBePublished() {
        let error = #expect(throws: RecordError.self) {
            try Audience(json: ["tlp": "red"], channel: try Channel("partners"), record: "audience")
        }
        #expect(error?.reason.contains("TLP:RED never leaves") == true)
        #expect(throws: RecordError.self) { try Audience(tlp: .amber, members: [], channel: .federation) }
        #expect(throws: RecordError.self) { try Audience(tlp: .amber, members: [], channel: try Channel("partners")) }
    }
}
