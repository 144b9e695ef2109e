import Foundation
import GRDB
import Testing
import WeftCore

/// A peer that relays a forged bundle and a tampered copy of a real one: both are rejected with the reason,
/// audited with the peer's name, and the honest relay's copies of the same feed still land.
@Suite(.serialized) struct MaliciousPeerTests {
    @Test func forgedAndTamperedRelaysAreRejectedNamedAndHonestFeedsFlow() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let honest = try lab.node("hotel")
        let mallory = try lab.node("mallory")
        let b = try lab.node("bravo")
        for (x, y) in [(a, honest), (a, mallory), (b, honest), (b, mallory)] { try lab.link(x, y) }
        try a.card().write(toFile: b.home + "/alpha.origin", atomically: true, encoding: .utf8)
        try expectOK(try b.weft(["origin", "add", "--card", b.home + "/alpha.origin"]))
        try a.publish(reports: 1_500, tag: "op")  // seq 1 and 2
        try honest.publish(reports: 3, tag: "own")
        try a.start()
        try expectOK(try honest.syncOnce(peer: "alpha").result)
        try expectOK(try mallory.syncOnce(peer: "alpha").result)
        a.stop()

        // Mallory rewrites what it serves: seq 1 tampered (one payload character), seq 3 forged under A's name.
        let alpha = try #require(try a.status()["node"] as? String)
        let forgedID = try tamper(
            store: mallory.home + "/weft.sqlite", origin: alpha, forger: mallory.home + "/origin.key")
        try mallory.start()
        try honest.start()

        let fromMallory = try b.syncOnce(peer: "mallory")
        #expect(
            fromMallory.result.status == 65, "rejected bundles make the round exit 65: \(fromMallory.result.stderr)")
        let row = try #require(fromMallory.rows.first)
        #expect(row["rejected"] as? Int == 2)
        #expect((row["rejections"] as? [String] ?? []).allSatisfy { $0.hasPrefix("bad-signature") }, "\(row)")
        try expectOK(try b.syncOnce(peer: "hotel").result)

        let feeds = try b.status()["feeds"] as? [[String: Any]] ?? []
        #expect(feeds.contains { $0["origin_name"] as? String == "alpha" && $0["seq"] as? Int == 2 })
        #expect(feeds.contains { $0["origin_name"] as? String == "hotel" && $0["seq"] as? Int == 1 })
        #expect(try b.status()["reports"] as? Int == 1_503)
        #expect(try b.weft(["verify"]).status == 0)
        let rejected = try b.audit().filter { $0["outcome"] as? String == "rejected" }
        #expect(rejected.count == 2)
        #expect(rejected.allSatisfy { ($0["detail"] as? String)?.contains("from peer mallory") == true })
        #expect(rejected.contains { $0["subject"] as? String == forgedID })
        #expect(try b.bundleIDs().contains(forgedID) == false)
        mallory.stop()
        honest.stop()
    }

    /// Rewrites a stopped node's store as a malicious relay would, returning the forged bundle's id.
    private func tamper(store path: String, origin: String, forger keyPath: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        return try queue.write { db in
            let first = try #require(
                try Data.fetchOne(
                    db, sql: "SELECT envelope FROM bundle WHERE origin = ? AND seq = 1", arguments: [origin]))
            var text = String(decoding: first, as: UTF8.self)
            let index = text.index(try #require(text.range(of: #""payload":""#)).upperBound, offsetBy: 80)
            text.replaceSubrange(index...index, with: text[index] == "A" ? "B" : "A")
            try db.execute(
                sql: "UPDATE bundle SET envelope = ? WHERE origin = ? AND seq = 1",
                arguments: [Data(text.utf8), origin])

            let second = try #require(
                try Row.fetchOne(
                    db, sql: "SELECT id, envelope FROM bundle WHERE origin = ? AND seq = 2", arguments: [origin]))
            let envelope = try DSSEEnvelope(jsonBytes: Array(second["envelope"] as Data))
            guard case .object(var payload) = try JSONParser.parse(envelope.payload) else { throw LabError("payload") }
            payload["seq"] = .integer(3)
            payload["prev"] = .string(second["id"])
            let bytes = try CanonicalJSON.encode(.object(payload))
            let key = try OriginKey.read(from: keyPath)
            let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: envelope.payloadType, payload: bytes)
            let forged = DSSEEnvelope(
                payloadType: envelope.payloadType, payload: bytes,
                signatures: [.init(keyID: origin, signature: key.signature(for: pae))])
            let id = Hex.sha256(bytes)
            try db.execute(
                sql: """
                    INSERT INTO bundle (id, origin, channel, seq, envelope, received_at, audience)
                    SELECT ?, origin, channel, 3, ?, received_at, audience FROM bundle WHERE origin = ? AND seq = 2
                    """, arguments: [id, Data(forged.jsonBytes), origin])
            try db.execute(
                sql: "UPDATE feed_head SET seq = 3, bundle_id = ? WHERE origin = ?", arguments: [id, origin])
            return id
        }
    }
}

extension LabNode {
    /// Ids of every bundle the node holds.
    func bundleIDs() throws -> Set<String> {
        let queue = try DatabaseQueue(path: home + "/weft.sqlite")
        return Set(try queue.read { try String.fetchAll($0, sql: "SELECT id FROM bundle") })
    }
}
