import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// Every rejection class of the verification order: a distinct code, an audit entry, and no other change.
@Suite struct RejectionTests {
    @Test func acceptedBundleIsAppliedAndAudited() throws {
        let node = try StoreFixture()
        let bundle = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(3))[0]
        let outcome = try node.store.receive(envelope: bundle.envelopeBytes)
        #expect(outcome == .applied(bundle.id, seq: 1, drained: 0))
        let status = try node.store.status()
        #expect(status.bundles == 1 && status.reports == 3 && status.cases == 1 && status.indicators == 3)
        #expect(try node.store.auditLog(limit: 1).last?.outcome == "accepted")
    }

    @Test func oversizedEnvelopeIsRejected() throws {
        let node = try StoreFixture(limits: BundleLimits(maximumPayloadBytes: 2_000))
        let bundle = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(40))[0]
        try node.expectRejected(bundle.envelopeBytes, .tooLarge)
    }

    @Test func malformedEnvelopesAreRejected() throws {
        let node = try StoreFixture()
        try node.expectRejected(Array("{\"payload\":".utf8), .malformedEnvelope)
        try node.expectRejected(
            Array(#"{"payload":"e30=","payloadType":"application/vnd.weft.bundle.v1+json","signatures":[]}"#.utf8),
            .malformedEnvelope)
        try node.expectRejected(
            Array(#"{"payload":"e30=","payloadType":"text/plain","signatures":[{"keyid":"x","sig":"AA=="}]}"#.utf8),
            .malformedEnvelope)
    }

    @Test func unknownOriginIsRejected() throws {
        let node = try StoreFixture()
        let stranger = OriginKey()
        let bundle = BundleBuilder(key: stranger, channel: .federation, audience: .federation)
            .build(
                after: nil, cases: [try StoreFixture.caseRecord("c1")], reports: [], retractions: [],
                created: "2026-11-29T07:00:00Z")[0]
        try node.expectRejected(bundle.envelopeBytes, .unknownOrigin)
    }

    @Test func revokedAndQuarantinedOriginsAreRejected() throws {
        let node = try StoreFixture()
        let bundle = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: [])[0]
        try node.store.setOriginStatus(node.alpha.originID, to: .revoked, reason: "left the federation")
        try node.expectRejected(bundle.envelopeBytes, .revokedOrigin)
        try node.store.setOriginStatus(node.alpha.originID, to: .quarantined, reason: "under review")
        try node.expectRejected(bundle.envelopeBytes, .quarantinedOrigin)
        try node.store.setOriginStatus(node.alpha.originID, to: .active, reason: "cleared")
        #expect(try node.store.receive(envelope: bundle.envelopeBytes) == .applied(bundle.id, seq: 1, drained: 0))
    }

    @Test func forgedSignatureIsRejected() throws {
        let node = try StoreFixture()
        let forger = OriginKey()
        let honest = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: [])[0]
        // The forger signs alpha's payload and claims alpha's key id.
        let pae = honest.envelope.preAuthenticationEncoding
        var forged = honest.envelope
        forged.signatures = [.init(keyID: node.alpha.originID.hex, signature: forger.signature(for: pae))]
        try node.expectRejected(forged.jsonBytes, .badSignature)
        // A tampered copy of a real bundle: one report's confidence changed after signing.
        var tampered = honest.envelope
        let text = String(decoding: tampered.payload, as: UTF8.self).replacingOccurrences(
            of: "\"accounts\":7", with: "\"accounts\":8")
        tampered.payload = Array(text.utf8)
        #expect(tampered.payload != honest.envelope.payload)
        try node.expectRejected(tampered.jsonBytes, .badSignature)
    }

    @Test func payloadThatLiesAboutItsOriginIsRejected() throws {
        let node = try StoreFixture()
        let honest = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: [])[0]
        var payload = honest.payload.json.objectValue!
        payload["origin"] = .string(node.nodeKey.originID.hex)  // alpha signs a bundle claiming to be this node
        try node.expectRejected(try StoreFixture.sign(.object(payload), key: node.alpha), .malformedPayload)
        payload = honest.payload.json.objectValue!
        payload["v"] = 2
        try node.expectRejected(try StoreFixture.sign(.object(payload), key: node.alpha), .malformedPayload)
    }

    @Test func nonCanonicalPayloadIsRejected() throws {
        let node = try StoreFixture()
        let honest = node.alphaBundles(cases: [try StoreFixture.caseRecord("c1")], reports: [])[0]
        // The same content, validly signed, but with a space after the first colon.
        let sloppy = String(decoding: honest.envelope.payload, as: UTF8.self).replacingOccurrences(
            of: "{\"audience\":", with: "{\"audience\": ")
        try node.expectRejected(
            try StoreFixture.sign(.null, key: node.alpha, rawBytes: Array(sloppy.utf8)), .nonCanonical)
    }

    @Test func bundleForAGroupWithoutThisNodeIsRejected() throws {
        let node = try StoreFixture()
        let outsider = OriginKey().originID
        let audience = try Audience(tlp: .amber, members: [outsider], channel: try Channel("partners"))
        let bundle = BundleBuilder(key: node.alpha, channel: try Channel("partners"), audience: audience)
            .build(
                after: nil, cases: [try StoreFixture.caseRecord("c1")], reports: [], retractions: [],
                created: "2026-11-29T07:00:00Z")[0]
        try node.expectRejected(bundle.envelopeBytes, .notInAudience)
        let included = try Audience(
            tlp: .amber, members: [outsider, node.nodeKey.originID], channel: try Channel("partners"))
        let ok = BundleBuilder(key: node.alpha, channel: try Channel("partners"), audience: included)
            .build(
                after: nil, cases: [try StoreFixture.caseRecord("c1")], reports: [], retractions: [],
                created: "2026-11-29T07:00:00Z")[0]
        #expect(try node.store.receive(envelope: ok.envelopeBytes) == .applied(ok.id, seq: 1, drained: 0))
    }

    @Test func invalidRecordsAreRejected() throws {
        let node = try StoreFixture()
        // A report about a case the feed never declared.
        let orphan = node.alphaBundles(cases: [], reports: [try StoreFixture.report("ghost", "example.com")])[0]
        try node.expectRejected(orphan.envelopeBytes, .invalidRecord)
        // A report whose value breaks its kind's format, validly signed.
        var payload = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: [try StoreFixture.report("c1", "example.com")])[0]
            .payload.json.objectValue!
        var report = payload["reports"]!.arrayValue![0].objectValue!
        report["value"] = "EXAMPLE.com"
        payload["reports"] = [.object(report)]
        try node.expectRejected(try StoreFixture.sign(.object(payload), key: node.alpha), .invalidRecord)
        // A report with an email address as its kind.
        report["kind"] = "email"
        report["value"] = "someone@example.com"
        payload["reports"] = [.object(report)]
        try node.expectRejected(try StoreFixture.sign(.object(payload), key: node.alpha), .invalidRecord)
        // More reports than the limit allows.
        let limited = try StoreFixture(limits: BundleLimits(maximumReports: 10))
        let big = limited.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(11))
        #expect(big.count == 1)  // built with the standard limit, received with a smaller one
        try limited.expectRejected(big[0].envelopeBytes, .invalidRecord)
        // A retraction of a report the feed never carried.
        let bogus = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: [],
            retractions: [Retraction(target: .report(String(repeating: "0", count: 64)), reason: .legal)])[0]
        try node.expectRejected(bogus.envelopeBytes, .invalidRecord)
    }
}
