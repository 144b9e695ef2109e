import Foundation
import GRDB
import TestScratch
import Testing
import WeftCore

@testable import WeftStore

/// A node store in a fresh temporary directory, with its own key and one trusted peer origin ("alpha").
struct StoreFixture {
    let directory: String
    let nodeKey = OriginKey()
    let alpha = OriginKey()
    let store: NodeStore

    init(limits: BundleLimits = .standard) throws {
        directory = try TestScratch.directory("weft-store")
        store = try NodeStore(path: directory + "/weft.sqlite", node: nodeKey.originID, limits: limits)
        _ = try store.addOrigin(name: "self", publicKey: nodeKey.publicKey, isSelf: true)
        _ = try store.addOrigin(name: "alpha", publicKey: alpha.publicKey)
    }

    /// Checksums of every table but the audit log.
    func dataChecksums() throws -> [String: String] {
        var sums = try store.checksums()
        sums["audit"] = nil
        return sums
    }

    func auditCount() throws -> Int {
        try store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit")! }
    }

    /// Receives `bytes`, expecting rejection with `code`; checks that no table but the audit log changed, and that
    /// the audit log gained exactly one `rejected` entry with that reason.
    func expectRejected(
        _ bytes: [UInt8], _ code: BundleRejection.Code, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try dataChecksums()
        let auditBefore = try auditCount()
        #expect(
            sourceLocation: sourceLocation, performing: { try store.receive(envelope: bytes) },
            throws: { ($0 as? BundleRejection)?.code == code })
        #expect(try dataChecksums() == before, "a rejected bundle changed the store", sourceLocation: sourceLocation)
        #expect(try auditCount() == auditBefore + 1, sourceLocation: sourceLocation)
        let last = try #require(try store.auditLog(limit: 1).last)
        #expect(last.outcome == "rejected" && last.reason == code.name, sourceLocation: sourceLocation)
    }

    /// Alpha's bundles on the federation channel.
    func alphaBundles(
        after head: FeedPosition? = nil, cases: [Case], reports: [Report],
        retractions: [Retraction] = []
    ) -> [SignedBundle] {
        BundleBuilder(key: alpha, channel: .federation, audience: .federation)
            .build(
                after: head, cases: cases, reports: reports, retractions: retractions, created: "2026-11-29T07:00:00Z")
    }

    /// Signs an arbitrary payload value as `key`, for bundles the builder would never make.
    static func sign(_ payload: JSONValue, key: OriginKey, rawBytes: [UInt8]? = nil) throws -> [UInt8] {
        let bytes = try rawBytes ?? CanonicalJSON.encode(payload)
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: BundlePayload.payloadType, payload: bytes)
        return DSSEEnvelope(
            payloadType: BundlePayload.payloadType, payload: bytes,
            signatures: [.init(keyID: key.originID.hex, signature: key.signature(for: pae))]
        ).jsonBytes
    }

    static func report(_ caseID: String, _ domain: String) throws -> Report {
        try Report(
            caseID: try CaseID(caseID), indicator: try Indicator(kind: .domain, value: domain),
            firstSeen: try Day("2023-05-01"), lastSeen: try Day("2023-06-01"), confidence: 80,
            postingAccounts: PrevalenceBucket(count: 40), flaggedAccounts: PrevalenceBucket(count: 30))
    }

    static func reports(_ count: Int, caseID: String = "c1", prefix: String = "d") throws -> [Report] {
        try (0..<count).map { try report(caseID, "\(prefix)\($0).example.com") }
    }

    static func caseRecord(_ id: String) throws -> Case {
        Case(id: try CaseID(id), status: .confirmed, accounts: PrevalenceBucket(count: 120))
    }
}
