import Foundation
import GRDB
import Testing
import WeftHashing

/// `weft simulate` → `weft ingest` on every platform → the bundles each node would send, checked byte by byte for
/// every raw handle, e-mail address, display name and post text the generator wrote, and for every hash of a
/// personal photo. Then `weft score` on an answer built from the truth.
@Suite struct ScenarioPipelineTests {
    let root: String
    let keyFile: String

    init() throws {
        root = try WeftProcess.temporaryDirectory()
        keyFile = root + "/federation.key"
        #expect(try WeftProcess.run(["federation-key", "generate", keyFile]).status == 0)
    }

    static func lines(_ path: String) throws -> [[String: Any]] {
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// Ingests every platform of a tiny scenario into a node of its own and returns, per platform, the exported
    /// envelopes together with their decoded payloads: exactly what would leave the node.
    func publishEveryPlatform(_ scenario: String) throws -> [String: Data] {
        let description = try #require(
            try JSONSerialization.jsonObject(
                with: try Data(contentsOf: URL(fileURLWithPath: scenario + "/scenario.json")))
                as? [String: Any])
        let platforms = try #require(description["platforms"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        var outgoing: [String: Data] = [:]
        for name in platforms {
            let home = "\(root)/node-\(name)"
            #expect(try WeftProcess.run(["init", "--home", home, "--name", name]).status == 0)
            let ingest = try WeftProcess.run([
                "ingest", "--home", home, "--federation-key-file", keyFile, "\(scenario)/\(name)", "--json",
            ])
            try #require(ingest.status == 0, "\(name): \(ingest.stderr)")
            let export = try WeftProcess.run(["bundle", "export", "--home", home])
            #expect(export.status == 0)
            var bytes = export.stdoutBytes
            for line in export.stdout.split(separator: "\n") {
                let envelope = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let payload = try #require(envelope["payload"] as? String)
                bytes += try #require(Data(base64Encoded: payload))
            }
            outgoing[name] = bytes
        }
        return outgoing
    }

    @Test func nothingRawOrPersonalLeavesANode() throws {
        let scenario = root + "/scenario"
        let simulate = try WeftProcess.run(["simulate", "--tier", "tiny", "--seed", "3", "--out", scenario, "--json"])
        try #require(simulate.status == 0, "\(simulate.stderr)")
        let outgoing = try publishEveryPlatform(scenario)
        let truth = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: scenario + "/truth.json")))
                as? [String: Any])
        var reportsSeen = 0
        var checked = 0
        for platform in try #require(truth["platforms"] as? [[String: Any]]) {
            let name = try #require(platform["name"] as? String)
            let sent = String(decoding: try #require(outgoing[name]), as: UTF8.self)
            reportsSeen += sent.components(separatedBy: "\"prevalence\"").count - 1
            var forbidden: [String] = []
            for account in try Self.lines("\(scenario)/\(name)/accounts.jsonl") {
                forbidden.append(try #require(account["email"] as? String))
                let handle = try #require(account["handle"] as? String)
                if handle.count >= 6 { forbidden.append(handle) }
                let display = try #require(account["display_name"] as? String)
                if display.count >= 8 { forbidden.append(display) }
            }
            for post in try Self.lines("\(scenario)/\(name)/posts.jsonl") {
                let text = try #require(post["text"] as? String)
                if text.count >= 20 { forbidden.append(text) }
            }
            for photo in try #require(platform["personal_photos"] as? [String]) {
                let hashes = try ImageHashes(
                    fileBytes: Array(try Data(contentsOf: URL(fileURLWithPath: "\(scenario)/\(name)/media/\(photo)"))))
                forbidden += [hashes.sha256, hashes.md5, hashes.pdq.hash.hex]
            }
            for value in forbidden {
                checked += 1
                let leaks = sent.contains(value)
                #expect(!leaks, "\(name) would send '\(value)'")
            }
        }
        #expect(reportsSeen > 50, "too few reports were published for the scan to mean anything")
        #expect(checked > 1_000)
    }

    @Test func scoringAnAnswerBuiltFromTheTruth() throws {
        let scenario = root + "/scenario"
        #expect(try WeftProcess.run(["simulate", "--tier", "tiny", "--seed", "4", "--out", scenario]).status == 0)
        let truth = try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: scenario + "/truth.json")))
                as? [String: Any])
        // Each case goes to the operation most of its accounts belong to: the best any case-level merge can do.
        var operations: [String: [[String: String]]] = [:]
        for platform in try #require(truth["platforms"] as? [[String: Any]]) {
            let name = try #require(platform["name"] as? String)
            let roles = try #require(platform["roles"] as? [String: String])
            for (caseID, members) in try #require(platform["cases"] as? [String: [String]]) {
                let found = members.compactMap { roles[$0] }.filter { $0.hasPrefix("operation:") }
                guard let first = found.first, found.count * 2 > members.count else { continue }
                operations[first, default: []].append(["origin_name": name, "case": caseID])
            }
        }
        let answer: [String: Any] = [
            "operations": operations.keys.sorted().map { ["id": $0, "cases": operations[$0]!] as [String: Any] }
        ]
        try JSONSerialization.data(withJSONObject: answer).write(to: URL(fileURLWithPath: root + "/answer.json"))
        let score = try WeftProcess.run([
            "score", "--truth", scenario + "/truth.json", "--operations", root + "/answer.json", "--json",
        ])
        try #require(score.status == 0, "\(score.stderr)")
        let result = try #require(try WeftProcess.json(score) as? [String: Any])
        #expect((result["cluster_precision"] as? Double ?? 0) > 0.9)
        #expect((result["organic_content_clusters"] as? Int) == 0)
        #expect((result["platform_recall"] as? Double ?? 0) > 0.9)
        let table = try WeftProcess.run([
            "score", "--truth", scenario + "/truth.json", "--operations", root + "/answer.json",
        ])
        #expect(table.stdout.contains("adjusted Rand index"))
        let missing = try WeftProcess.run([
            "score", "--truth", root + "/nope.json", "--operations", root + "/answer.json",
        ])
        #expect(missing.status == 65 && missing.stderr.contains("nope.json"))
    }

    @Test func anAnalystNodeHoldingEveryFeedFindsTheOperationsAndQuarantineTakesAPlatformOut() throws {
        let scenario = root + "/scenario"
        #expect(try WeftProcess.run(["simulate", "--tier", "tiny", "--seed", "21", "--out", scenario]).status == 0)
        _ = try publishEveryPlatform(scenario)
        let analyst = root + "/analyst"
        #expect(try WeftProcess.run(["init", "--home", analyst, "--name", "analyst"]).status == 0)
        let nodes = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("node-") }.sorted()
        for node in nodes {
            let card = try WeftProcess.run(["identity", "export", "--home", "\(root)/\(node)"])
            try card.stdoutBytes.write(to: URL(fileURLWithPath: root + "/card.json"))
            #expect(
                try WeftProcess.run(["origin", "add", "--home", analyst, "--card", root + "/card.json"]).status == 0)
            let feed = try WeftProcess.run(["bundle", "export", "--home", "\(root)/\(node)"])
            try feed.stdoutBytes.write(to: URL(fileURLWithPath: root + "/feed.ndjson"))
            #expect(try WeftProcess.run(["bundle", "apply", "--home", analyst, root + "/feed.ndjson"]).status == 0)
        }
        let listed = try WeftProcess.run(["ops", "list", "--home", analyst, "--json"])
        try #require(listed.status == 0, "\(listed.stderr)")
        try listed.stdoutBytes.write(to: URL(fileURLWithPath: root + "/operations.json"))
        let operations = try #require(
            (try WeftProcess.json(listed) as? [String: Any])?["operations"] as? [[String: Any]])
        try #require(!operations.isEmpty)
        let score = try WeftProcess.run([
            "score", "--truth", scenario + "/truth.json", "--operations", root + "/operations.json", "--json",
        ])
        let result = try #require(try WeftProcess.json(score) as? [String: Any])
        #expect(result["organic_content_clusters"] as? Int == 0)
        #expect((result["platform_recall"] as? Double ?? 0) >= 0.9)

        let direct = try WeftProcess.run(["score", "--truth", scenario + "/truth.json", "--node", analyst, "--json"])
        #expect(
            (try WeftProcess.json(direct) as? [String: Any])?["cluster_precision"] as? Double == result[
                "cluster_precision"] as? Double)
        let both = try WeftProcess.run([
            "score", "--truth", scenario + "/truth.json", "--node", analyst, "--operations", "x",
        ])
        #expect(both.status == 64)

        let first = try #require(operations.first)
        let id = try #require(first["id"] as? String)
        let shown = try WeftProcess.run(["ops", "show", "--home", analyst, String(id.prefix(8))])
        #expect(shown.status == 0 && shown.stdout.contains(id) && shown.stdout.contains("PLATFORM"))
        #expect(try WeftProcess.run(["ops", "show", "--home", analyst, "op-nothing"]).status == 65)
        #expect(
            try WeftProcess.run(["ops", "list", "--home", analyst, "--min-platforms", "99"]).stdout.contains(
                "no operations"))

        let everything = try WeftProcess.run([
            "search", "pdq", "--home", analyst, String(repeating: "0", count: 64), "--max-distance", "256", "--json",
        ])
        let found = try WeftProcess.json(everything) as? [Any] ?? []
        #expect(everything.status == 0 && !found.isEmpty)
        #expect(try WeftProcess.run(["search", "pdq", "--home", analyst, "not-a-hash"]).status == 64)

        // Quarantining a platform's origin takes its cases out of every operation.
        let platform = try #require((first["platforms"] as? [String])?.first)
        let quarantine = try WeftProcess.run([
            "origin", "set-status", "--home", analyst, platform, "quarantined", "--reason", "test",
        ])
        #expect(quarantine.status == 0, "\(quarantine.stderr)")
        let after = try WeftProcess.run(["ops", "list", "--home", analyst, "--json"])
        let remaining = try #require((try WeftProcess.json(after) as? [String: Any])?["operations"] as? [[String: Any]])
        #expect(remaining.allSatisfy { !(($0["platforms"] as? [String]) ?? []).contains(platform) })

        // Back to active: the saved result of the quarantined view is not reused; the operations are the first ones.
        #expect(
            try WeftProcess.run([
                "origin", "set-status", "--home", analyst, platform, "active", "--reason", "test over",
            ]).status == 0)
        #expect(try WeftProcess.run(["ops", "list", "--home", analyst, "--json"]).stdout == listed.stdout)
        #expect(try WeftProcess.run(["ops", "list", "--home", analyst, "--json"]).stdout == listed.stdout, "saved")
        let saved = try DatabaseQueue(path: analyst + "/weft.sqlite").read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM saved_operation") ?? -1
        }
        #expect(saved == operations.count, "the merge's result is saved with the view's version")

        // Another node that receives the same feeds in the opposite order finds the same operations.
        let reversed = root + "/analyst-reversed"
        #expect(try WeftProcess.run(["init", "--home", reversed, "--name", "analyst-2"]).status == 0)
        for node in nodes.reversed() {
            let card = try WeftProcess.run(["identity", "export", "--home", "\(root)/\(node)"])
            try card.stdoutBytes.write(to: URL(fileURLWithPath: root + "/card.json"))
            #expect(
                try WeftProcess.run(["origin", "add", "--home", reversed, "--card", root + "/card.json"]).status == 0)
            let feed = try WeftProcess.run(["bundle", "export", "--home", "\(root)/\(node)"])
            var lines = feed.stdout.split(separator: "\n").map(String.init)
            lines.reverse()  // the feed's own bundles out of order too: later ones wait for the gap
            try lines.joined(separator: "\n").write(toFile: root + "/feed.ndjson", atomically: true, encoding: .utf8)
            #expect(try WeftProcess.run(["bundle", "apply", "--home", reversed, root + "/feed.ndjson"]).status == 0)
        }
        #expect(try WeftProcess.run(["ops", "list", "--home", reversed, "--json"]).stdout == listed.stdout)
    }

    @Test func aBadExportLineFailsIngestAndPublishesNothing() throws {
        let scenario = root + "/scenario"
        #expect(try WeftProcess.run(["simulate", "--tier", "tiny", "--seed", "2", "--out", scenario]).status == 0)
        let platform = try #require(
            try FileManager.default.contentsOfDirectory(atPath: scenario).filter { !$0.hasSuffix(".json") }.sorted()
                .first)
        let posts = "\(scenario)/\(platform)/posts.jsonl"
        var lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: posts)), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        lines[1] = #"{"account":"x","time":"not a time","text":"t","links":[],"media":[]}"#
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: posts))
        let home = root + "/node"
        #expect(try WeftProcess.run(["init", "--home", home, "--name", platform]).status == 0)
        let ingest = try WeftProcess.run([
            "ingest", "--home", home, "--federation-key-file", keyFile, "\(scenario)/\(platform)",
        ])
        #expect(ingest.status == 65)
        #expect(ingest.stderr.contains("posts.jsonl line 2") && ingest.stderr.contains("nothing was published"))
        let status = try #require(
            try WeftProcess.json(try WeftProcess.run(["status", "--home", home, "--json"])) as? [String: Any])
        #expect(status["bundles"] as? Int == 0, "\(status)")
    }

    @Test func simulateRefusesAFolderInUseAndBadSizes() throws {
        try FileManager.default.createDirectory(atPath: root + "/used", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/used/file"))
        let used = try WeftProcess.run(["simulate", "--tier", "tiny", "--seed", "1", "--out", root + "/used"])
        #expect(used.status == 64 && used.stderr.contains("not empty"))
        let tooFew = try WeftProcess.run(["simulate", "--platforms", "1", "--seed", "1", "--out", root + "/x"])
        #expect(tooFew.status == 64 && tooFew.stderr.contains("--platforms"))
        #expect(!FileManager.default.fileExists(atPath: root + "/x"))
    }
}
