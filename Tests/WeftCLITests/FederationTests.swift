import Foundation
import Testing
import WeftHashing

/// Real `weft` processes syncing over mutual TLS on 127.0.0.1, with certificates from the certs/ scripts.
@Suite(.serialized) struct FederationTests {
    /// A–B–C in a line: C holds A's bundles, received through B, and verifies A's signatures itself.
    @Test func aLineOfThreeConvergesThroughTheMiddleNode() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let b = try lab.node("bravo")
        let c = try lab.node("charlie")
        try lab.link(a, b)
        try lab.link(b, c)
        // C is not A's peer, but trusts A's origin key (from A's card), as every member of a federation does.
        try a.card().write(toFile: c.home + "/alpha-origin.card", atomically: true, encoding: .utf8)
        try expectOK(try c.weft(["origin", "add", "--card", c.home + "/alpha-origin.card"]))
        try a.publish(reports: 2_500, tag: "op1")  // three bundles
        try b.publish(reports: 10, tag: "op2")

        try a.start()
        let first = try b.syncOnce(peer: "alpha")
        try expectOK(first.result)
        #expect(first.rows.first?["applied"] as? Int == 3)
        try b.start()
        let second = try c.syncOnce()
        try expectOK(second.result)
        #expect(second.rows.first?["applied"] as? Int == 4, "A's three bundles and B's own, all from B")

        // A second round changes nothing: everything is held already.
        let again = try c.syncOnce()
        #expect(again.rows.first?["applied"] as? Int == 0)
        #expect(again.rows.first?["feeds_behind"] as? Int == 0)

        let heads = try c.status()["feeds"] as? [[String: Any]] ?? []
        #expect(heads.contains { $0["origin_name"] as? String == "alpha" && $0["seq"] as? Int == 3 })
        let verified = try c.weft(["verify"])
        #expect(verified.status == 0, "C re-verifies A's signatures from the stored bytes: \(verified.stderr)")
        let cSums = try c.status(checksums: true)["checksums"] as? [String: String]
        let bSums = try b.status(checksums: true)["checksums"] as? [String: String]
        #expect(cSums != nil && cSums == bSums)
        let peers = try WeftProcess.json(try c.weft(["peers", "status", "--json"])) as? [[String: Any]] ?? []
        let lags = (peers.first?["feeds"] as? [[String: Any]] ?? []).map { $0["lag"] as? Int }
        #expect(lags == [0, 0], "two feeds came from bravo, none behind")
        a.stop()
        b.stop()
    }

    /// A retraction published at A removes the report from the merged view of B and of C (which hears it
    /// through B); revoking A with --quarantine at C takes A's remaining reports out of C's view too.
    @Test func retractionsTravelAndQuarantineHidesPastReports() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let b = try lab.node("bravo")
        let c = try lab.node("charlie")
        try lab.link(a, b)
        try lab.link(b, c)
        try lab.link(a, c)
        try a.publish(reports: 2, tag: "op")
        try a.start()
        try b.start()
        try expectOK(try b.syncOnce(peer: "alpha").result)
        try expectOK(try c.syncOnce(peer: "bravo").result)
        let domain = "alpha-op-0.example.com"
        for node in [b, c] { #expect(try merged(node, domain) == 1) }

        let retraction = a.home + "/retract.jsonl"
        try #"{"type":"retraction","case":"op","reason":"false-positive"}"#.write(
            toFile: retraction, atomically: true, encoding: .utf8)
        try expectOK(try a.weft(["publish", retraction]))
        try expectOK(try b.syncOnce(peer: "alpha").result)
        try expectOK(try c.syncOnce(peer: "bravo").result)
        for node in [b, c] {
            #expect(try merged(node, domain) == 0, "\(node.name): retracted everywhere")
            #expect(try merged(node, domain, all: true) == 1, "\(node.name): the bytes stay for audit")
        }

        try a.publish(reports: 1, tag: "op2")
        try expectOK(try c.syncOnce(peer: "alpha").result)
        #expect(try merged(c, "alpha-op2-0.example.com") == 1)
        try expectOK(try c.weft(["peer", "revoke", "alpha", "--quarantine", "--reason", "compromised key"]))
        #expect(try merged(c, "alpha-op2-0.example.com") == 0)
        #expect(try merged(c, "alpha-op2-0.example.com", all: true) == 1)
        a.stop()
        b.stop()
    }

    /// Reports for a domain in `node`'s merged view (or all held, with `all`).
    private func merged(_ node: LabNode, _ domain: String, all: Bool = false) throws -> Int {
        let result = try node.weft(["indicator", "show", "domain", domain, "--json"] + (all ? ["--all"] : []))
        try expectOK(result)
        return ((try WeftProcess.json(result) as? [String: Any])?["reports"] as? [Any])?.count ?? -1
    }

    /// `weft sync --once` killed with SIGKILL mid-pull: the rerun finishes; nothing lost, nothing applied twice.
    @Test func aSyncKilledMidwayResumesWithoutLossOrDuplicates() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let b = try lab.node("bravo")
        try lab.link(a, b)
        try a.publish(reports: 12_000, tag: "big")  // 12 bundles of 1,000
        try a.start()
        for delay in [0.4, 1.0, 2.0] {
            try WeftProcess.kill(["sync", "--once", "--home", b.home], after: delay)
            let status = try b.status()
            let bundles = status["bundles"] as? Int ?? -1
            #expect(status["reports"] as? Int == 1_000 * bundles, "only whole bundles: \(status)")
        }
        try expectOK(try b.syncOnce().result)
        let status = try b.status()
        #expect(status["bundles"] as? Int == 12)
        #expect(status["reports"] as? Int == 12_000)
        #expect(try b.weft(["verify"]).status == 0)
        let accepted = try b.audit(limit: 10_000).filter {
            $0["action"] as? String == "bundle.receive" && $0["outcome"] as? String == "accepted"
        }
        #expect(accepted.count == 12, "each bundle applied exactly once")
        let shown = try WeftProcess.json(try b.weft(["peer", "show", "alpha", "--json"])) as? [String: Any]
        let feeds = shown?["feeds"] as? [[String: Any]] ?? []
        #expect(feeds.count == 1 && feeds.first?["peer_seq"] as? Int == 12 && feeds.first?["seq"] as? Int == 12)
        a.stop()
    }
}

/// Ten `weft serve` processes in a sparse random topology, pulling on their own with notify on: every node ends
/// with every feed, identical heads and identical derived tables.
@Suite(.serialized) struct FederationConvergenceTests {
    @Test func tenNodesInASparseTopologyConvergeToIdenticalState() throws {
        let lab = try FederationLab()
        let nodes = try (0..<10).map { try lab.node("n\($0)", notify: true, poll: 2) }
        // A ring plus three seeded chords: connected, every node has 2–3 peers, diameter about 4.
        var edges = Set((0..<10).map { [$0, ($0 + 1) % 10].sorted() })
        var random = SeededRandom(seed: 7)
        while edges.count < 13 {
            let x = Int(random.next() % 10)
            let y = Int(random.next() % 10)
            if x != y { edges.insert([x, y].sorted()) }
        }
        for edge in edges { try lab.link(nodes[edge[0]], nodes[edge[1]]) }
        // Membership: every node knows every origin key (the federation's member list), peers or not.
        for node in nodes {
            for other in nodes
            where other !== node
                && !edges.contains([nodes.firstIndex { $0 === node }!, nodes.firstIndex { $0 === other }!].sorted())
            {
                try other.card().write(toFile: node.home + "/\(other.name).origin", atomically: true, encoding: .utf8)
                try expectOK(try node.weft(["origin", "add", "--card", node.home + "/\(other.name).origin"]))
            }
        }
        for (index, node) in nodes.enumerated() { try node.publish(reports: 20 + index, tag: "t\(index)") }
        for node in nodes { try node.start() }
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, try nodes.contains(where: { try $0.bundleCount() < 10 }) {
            Thread.sleep(forTimeInterval: 0.5)
        }
        let counts = try nodes.map { try $0.bundleCount() }
        #expect(counts == Array(repeating: 10, count: 10), "\(counts)")
        let checksums = try nodes.map { try $0.status(checksums: true)["checksums"] as? [String: String] ?? [:] }
        #expect(Set(checksums).count == 1, "identical heads and derived tables everywhere")
        #expect(checksums.first?["report"] != nil)

        // The operations listener of any node: health, and metrics that count what its pull loop applied.
        let opsPort = try #require(nodes[0].opsPort)
        let health = try CertificateScriptTests.run("curl", ["-sS", "http://127.0.0.1:\(opsPort)/health"]).stdout
        #expect(health.contains(#""bundles":10"#) && health.contains(#""status":"ok""#), "\(health)")
        let metrics = try CertificateScriptTests.run("curl", ["-sS", "http://127.0.0.1:\(opsPort)/metrics"]).stdout
        let accepted = metrics.split(separator: "\n").first {
            $0.hasPrefix(#"weft_bundles_received_total{outcome="accepted"}"#)
        }
        #expect(accepted.flatMap { Int($0.split(separator: " ").last ?? "") } == 9, "\(metrics)")
        #expect(
            metrics.contains("# TYPE weft_feed_lag_bundles gauge") && metrics.contains(#"weft_peers{status="active"}"#))
        #expect(metrics.contains("weft_peer_up{peer="))
        for node in nodes { #expect(node.stop() == 0, "graceful exit on SIGTERM: \(node.serverLog().suffix(500))") }
    }
}
