import Foundation
import Testing

/// `weft match` on a node that synced a tiny federation: a platform's posts by accounts it flagged in a case of an
/// operation come back in the review queue tied to that operation; unrelated content does not; a bad line is
/// reported with its number while the others are still matched.
@Suite(.serialized) struct MatchCommandTests {
    @Test func postsOfAnOperationsAccountsComeBackWithTheOperation() throws {
        let home = try AnalystNode.home.get()
        let work = URL(fileURLWithPath: home).deletingLastPathComponent().deletingLastPathComponent().path
        let listed = try WeftProcess.run(["ops", "list", "--home", home, "--json"])
        let operation = try #require(
            ((try WeftProcess.json(listed) as? [String: Any])?["operations"] as? [[String: Any]])?.first)
        let id = try #require(operation["id"] as? String)
        let reference = try #require((operation["cases"] as? [[String: Any]])?.first)
        let platform = try #require(reference["origin_name"] as? String)
        let caseID = try #require(reference["case"] as? String)
        let export = "\(work)/scenario/\(platform)"

        let flagged = Set(
            try ScenarioPipelineTests.lines(export + "/flagged.jsonl").filter { $0["case"] as? String == caseID }
                .compactMap { $0["account"] as? String })
        try #require(!flagged.isEmpty)
        var input: [String] = []
        for (number, post) in try ScenarioPipelineTests.lines(export + "/posts.jsonl").enumerated()
        where flagged.contains(post["account"] as? String ?? "") {
            let record: [String: Any] = [
                "id": "post-\(number)", "text": post["text"] ?? "", "links": post["links"] ?? [],
                "media": post["media"] ?? [],
            ]
            input.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        }
        try #require(!input.isEmpty)
        input.append(#"{"id":"garden","text":"Our tomatoes finally ripened this week, the basil is doing great too"}"#)
        input.append(#"{"id":"bad","colour":"red"}"#)
        let file = try WeftProcess.temporaryDirectory() + "/records.jsonl"
        try input.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let result = try WeftProcess.run([
            "match", "--home", home, "--federation-key-file", "\(work)/federation.key", "--media-dir",
            export + "/media",
            file,
        ])
        #expect(result.status == 65, "the bad line makes the exit 65")
        #expect(result.stderr.contains("line \(input.count)") && result.stderr.contains("colour"))
        let queue = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(!queue.contains { $0["id"] as? String == "garden" })
        let linked = queue.filter { entry in
            (entry["hits"] as? [[String: Any]] ?? []).contains { ($0["operations"] as? [String] ?? []).contains(id) }
        }
        #expect(linked.count * 2 >= input.count - 2, "most of the operation's posts are tied to it")
        for entry in queue {
            let hits = entry["hits"] as? [[String: Any]] ?? []
            #expect(!hits.isEmpty && (entry["priority"] as? Double ?? 0) > 0)
            #expect(hits.allSatisfy { ($0["exclusivity"] as? Double ?? 0) >= 0.4 })
        }
        #expect(!result.stdout.contains("\"text\":"), "the queue carries no post text")
    }

    /// Records confirmed from the queue become one local case of hashed signals; published at a copy of the node,
    /// the case joins the operation the queue tied them to. No post text leaves in the publication.
    @Test func confirmedRecordsBecomeALocalCaseThatJoinsTheOperation() throws {
        let home = try AnalystNode.home.get()
        let work = URL(fileURLWithPath: home).deletingLastPathComponent().deletingLastPathComponent().path
        let listed = try WeftProcess.run(["ops", "list", "--home", home, "--json"])
        let operation = try #require(
            ((try WeftProcess.json(listed) as? [String: Any])?["operations"] as? [[String: Any]])?.first)
        // Posts another platform flagged, found again on this node's platform: confirming its own flagged posts
        // would only restate the case it already has (same origin, same items), which links nothing new.
        let node = try #require(
            try WeftProcess.json(try WeftProcess.run(["status", "--home", home, "--json"])) as? [String: Any])
        let reference = try #require(
            (operation["cases"] as? [[String: Any]])?.first { $0["origin"] as? String != node["node"] as? String })
        let export = "\(work)/scenario/\(try #require(reference["origin_name"] as? String))"
        let flagged = Set(
            try ScenarioPipelineTests.lines(export + "/flagged.jsonl")
                .filter { $0["case"] as? String == reference["case"] as? String }.compactMap {
                    $0["account"] as? String
                })
        var input: [String] = []
        var texts: [String] = []
        for (number, post) in try ScenarioPipelineTests.lines(export + "/posts.jsonl").enumerated()
        where flagged.contains(post["account"] as? String ?? "") {
            let record: [String: Any] = [
                "id": "post-\(number)", "text": post["text"] ?? "", "links": post["links"] ?? [],
            ]
            if let text = post["text"] as? String, text.count > 20 { texts.append(text) }
            input.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        }
        input.append(#"{"id":"garden","text":"Our tomatoes finally ripened this week, the basil is doing great too"}"#)
        let file = try WeftProcess.temporaryDirectory() + "/records.jsonl"
        try input.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let base = ["match", "--home", home, "--federation-key-file", "\(work)/federation.key", file]

        let queue = try WeftProcess.run(base)
        #expect(queue.status == 0, "\(queue.stderr)")
        let operationID = try #require(operation["id"] as? String)
        // The entries the queue ties to the operation, as an analyst would pick them.
        let queued = queue.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                (entry["hits"] as? [[String: Any]] ?? []).contains(where: {
                    ($0["operations"] as? [String] ?? []).contains(operationID)
                })
            else { return nil }
            return entry["id"] as? String
        }
        let chosen = Array(queued.prefix(6))
        try #require(chosen.count >= 2, "the queue has entries to confirm")

        #expect(try WeftProcess.run(base + ["--confirm", chosen[0]]).status == 64, "--confirm needs --as-case")
        let confirm = try WeftProcess.run(
            base + chosen.flatMap { ["--confirm", $0] } + [
                "--confirm", "garden", "--confirm", "not-there", "--as-case", "review-1", "--label", "tag:review",
                "--seen", "2024-01-01",
            ])
        #expect(confirm.status == 0, "\(confirm.stderr)")
        #expect(confirm.stderr.contains("not in the input: not-there"), "\(confirm.stderr)")
        let lines = try confirm.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.first?["type"] as? String == "case" && lines.first?["id"] as? String == "review-1")
        let reports = lines.dropFirst()
        #expect(!reports.isEmpty && reports.allSatisfy { $0["case"] as? String == "review-1" })
        let kinds = Set(reports.compactMap { $0["kind"] as? String })
        #expect(kinds.contains("text.sha256") && kinds.contains("text.minhash"), "\(kinds)")
        for text in texts { #expect(!confirm.stdout.contains(text), "a post's text left in the publication") }
        #expect(!confirm.stdout.contains("tomatoes"))

        // Published at a copy of the node, the case joins the operation. Other tests serve the node meanwhile, so
        // the database is copied with SQLite's backup (a consistent snapshot), the rest of the home as files.
        let copy = try WeftProcess.temporaryDirectory() + "/copy"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: home) where !name.hasPrefix("weft.sqlite") {
            try FileManager.default.copyItem(atPath: home + "/" + name, toPath: copy + "/" + name)
        }
        let backup = try CertificateScriptTests.run(
            "python3",
            [
                "-c", "import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))",
                home + "/weft.sqlite", copy + "/weft.sqlite",
            ])
        try #require(backup.status == 0, "\(backup.stderr)")
        let publication = try WeftProcess.temporaryDirectory() + "/review.jsonl"
        try confirm.stdout.write(toFile: publication, atomically: true, encoding: .utf8)
        let published = try WeftProcess.run(["publish", "--home", copy, publication])
        #expect(published.status == 0, "\(published.stderr)")
        let listedAfter = try WeftProcess.run(["ops", "list", "--home", copy, "--json"])
        #expect(listedAfter.status == 0, "\(listedAfter.stderr)")
        let after = try WeftProcess.json(listedAfter)
        let operations = (after as? [String: Any])?["operations"] as? [[String: Any]] ?? []
        let joined = operations.first { entry in
            (entry["cases"] as? [[String: Any]] ?? []).contains { $0["case"] as? String == "review-1" }
        }
        #expect(joined != nil, "the confirmed case is part of an operation")
        let shared = Set((joined?["cases"] as? [[String: Any]] ?? []).compactMap { $0["case"] as? String })
        #expect(shared.contains(reference["case"] as? String ?? "?"), "with the case the queue tied it to")
    }
}
