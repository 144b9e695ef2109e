import Foundation
import Testing

@testable import WeftCore

/// docs/protocol.md's worked example must stay true: the test rebuilds the example bundle from the documented
/// seed and fields and compares every documented value.
@Suite struct ProtocolDocumentTests {
    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md").path

    /// The fenced block that follows `<!-- example:NAME -->` in the document.
    static func block(_ name: String) throws -> String {
        let text = try String(contentsOfFile: documentPath, encoding: .utf8)
        let marker = try #require(text.range(of: "<!-- example:\(name) -->"), "docs/protocol.md lacks example:\(name)")
        let fenceStart = try #require(text.range(of: "```", range: marker.upperBound..<text.endIndex))
        let bodyStart = try #require(text.range(of: "\n", range: fenceStart.upperBound..<text.endIndex)).upperBound
        let fenceEnd = try #require(text.range(of: "\n```", range: bodyStart..<text.endIndex))
        return String(text[bodyStart..<fenceEnd.lowerBound])
    }

    static func compact(_ text: String) -> String { text.filter { !$0.isWhitespace } }

    /// The example as the implementation builds it.
    static func exampleBundle() throws -> (OriginKey, SignedBundle) {
        let key = try OriginKey(seed: Hex.decode(compact(try block("seed")))!)
        let report = try Report(
            caseID: try CaseID("case-17"), indicator: try Indicator(kind: .domain, value: "example-news-mirror.com"),
            firstSeen: try Day("2023-04-02"), lastSeen: try Day("2023-06-30"), confidence: 95,
            labels: [try Label("disarm:1.6:T0084.001")], postingAccounts: PrevalenceBucket(count: 812),
            flaggedAccounts: PrevalenceBucket(count: 790))
        let caseRecord = Case(
            id: try CaseID("case-17"), status: .confirmed, labels: [try Label("killchain:6.1.3")],
            accounts: PrevalenceBucket(count: 7704))
        let bundle = BundleBuilder(key: key, channel: .federation, audience: .federation)
            .build(
                after: nil, cases: [caseRecord], reports: [report], retractions: [], created: "2026-11-29T00:00:00Z")[0]
        return (key, bundle)
    }

    @Test func documentedPayloadIsWhatTheImplementationSigns() throws {
        let (_, bundle) = try Self.exampleBundle()
        let documented = try Self.block("payload").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(documented == String(decoding: bundle.envelope.payload, as: UTF8.self))
        _ = try JSONParser.parse(Array(documented.utf8), options: .canonical)
    }

    @Test func documentedOriginPAEAndIDAreCorrect() throws {
        let (key, bundle) = try Self.exampleBundle()
        #expect(Self.compact(try Self.block("origin")) == key.originID.hex)
        #expect(Self.compact(try Self.block("public-key")) == key.publicKey.base64)
        #expect(Self.compact(try Self.block("pae")) == Hex.encode(bundle.envelope.preAuthenticationEncoding))
        #expect(Self.compact(try Self.block("bundle-id")) == bundle.id.hex)
        #expect(bundle.id.hex == Hex.sha256(bundle.envelope.payload))
    }

    @Test func documentedEnvelopeVerifies() throws {
        let (key, bundle) = try Self.exampleBundle()
        let documented = Array(try Self.block("envelope").trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let received = try ReceivedBundle(envelopeBytes: documented)
        try received.checkSignature(with: key.publicKey)
        #expect(received.envelope.payload == bundle.envelope.payload)
        #expect(received.id == bundle.id)
        // Ed25519 is deterministic (RFC 8032), so signing again yields the documented bytes exactly.
        #expect(documented == bundle.envelopeBytes)
    }
}
