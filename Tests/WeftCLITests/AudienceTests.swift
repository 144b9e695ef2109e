import Foundation
import GRDB
import Testing

/// What a node serves to each peer, byte for byte, for every audience combination: its own federation and group
/// feeds, a relayed origin's federation and group feeds, and peers with a bound origin, without one, with relay
/// off, and limited to some channels. Fetched with curl, an independent client, so the test sees the real bytes.
@Suite(.serialized) struct AudienceTests {
    struct Feed: Hashable {
        var origin: String
        var channel: String
    }

    @Test func eachPeerIsServedExactlyTheBundlesItsAudienceAndPolicyAllow() throws {
        let lab = try FederationLab()
        let s = try lab.node("sierra")
        let o = try lab.node("oscar")
        let peers = try (1...5).map { try lab.node("p\($0)") }
        let (p1, p2, p3, p4, p5) = (peers[0], peers[1], peers[2], peers[3], peers[4])
        try lab.link(s, o)
        try s.trust(p1)
        try s.trust(p2)
        try expectOK(try s.weft(["peer", "add", "--name", "p3", "--url", p3.url, "--pin", p3.pin]))  // no origin
        try s.trust(p4, extra: ["--relay", "off"])
        try s.trust(p5, extra: ["--channels", "federation"])
        try p2.card().write(toFile: o.home + "/p2.origin", atomically: true, encoding: .utf8)
        try expectOK(try o.weft(["origin", "add", "--card", o.home + "/p2.origin"]))

        try s.publish(reports: 3, tag: "fed")
        try s.publish(
            reports: 3, tag: "grp",
            channel: ["--channel", "ops-group", "--tlp", "amber", "--member", "p1", "--member", "p4", "--member", "p5"])
        try o.publish(reports: 3, tag: "ofed")
        try o.publish(
            reports: 3, tag: "ogrp",
            channel: ["--channel", "o-group", "--tlp", "amber+strict", "--member", "p2", "--member", "sierra"])
        try o.start()
        try expectOK(try s.syncOnce(peer: "oscar").result)
        o.stop()
        try s.start()

        let sierra = try #require(try s.status()["node"] as? String)
        let oscar = try #require(try o.status()["node"] as? String)
        let all = [
            Feed(origin: sierra, channel: "federation"), Feed(origin: sierra, channel: "ops-group"),
            Feed(origin: oscar, channel: "federation"), Feed(origin: oscar, channel: "o-group"),
        ]
        let stored = try storedFeeds(s)
        #expect(Set(stored.keys) == Set(all), "sierra holds all four feeds")
        let expected: [(LabNode, Set<Feed>)] = [
            (p1, [all[0], all[1], all[2]]),
            (p2, [all[0], all[2], all[3]]),
            (p3, [all[0], all[2]]),
            (p4, [all[0], all[1]]),
            (p5, [all[0], all[2]]),
        ]
        for (peer, visible) in expected {
            let heads =
                try JSONSerialization.jsonObject(with: try fetch(s, as: peer, "/sync/v1/heads").body)
                as? [[String: Any]] ?? []
            let served = Set(
                heads.map { Feed(origin: $0["origin"] as? String ?? "", channel: $0["channel"] as? String ?? "") })
            #expect(served == visible, "heads served to \(peer.name)")
            for feed in all {
                let body = try fetch(s, as: peer, "/sync/v1/feeds/\(feed.origin)/\(feed.channel)?after=0&limit=100")
                    .body
                let envelope = stored[feed]!
                let want = visible.contains(feed) ? envelope.bytes + Data([0x0A]) : Data()
                #expect(body == want, "\(peer.name) reading \(feed.channel) of \(feed.origin.prefix(8))")
                let single = try fetch(s, as: peer, "/sync/v1/bundles/\(envelope.id)")
                #expect(single.status == (visible.contains(feed) ? 200 : 404))
                if visible.contains(feed) { #expect(single.body == envelope.bytes) }
            }
        }
        s.stop()
    }

    /// The single stored envelope of each feed of `node`.
    private func storedFeeds(_ node: LabNode) throws -> [Feed: (id: String, bytes: Data)] {
        let queue = try DatabaseQueue(path: node.home + "/weft.sqlite")
        return try queue.read { db in
            var feeds: [Feed: (id: String, bytes: Data)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT origin, channel, id, envelope FROM bundle") {
                feeds[Feed(origin: row["origin"], channel: row["channel"])] = (row["id"], row["envelope"])
            }
            return feeds
        }
    }

    /// GET `path` from `server` with `peer`'s certificate, through curl.
    private func fetch(_ server: LabNode, as peer: LabNode, _ path: String) throws -> (status: Int, body: Data) {
        let output = peer.home + "/curl-\(UUID().uuidString)"
        let run = try CertificateScriptTests.run(
            "curl",
            [
                "-sS", "--cacert", server.home + "/tls/ca.pem", "--cert", peer.home + "/tls/node.pem", "--key",
                peer.home + "/tls/node.key", "-o", output, "-w", "%{http_code}", server.url + path,
            ])
        let body = FileManager.default.contents(atPath: output) ?? Data()
        return (Int(run.stdout) ?? -1, body)
    }
}
