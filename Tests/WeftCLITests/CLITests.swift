import Foundation
import Testing

/// `weft` end to end on temporary node homes.
@Suite struct CLITests {
    let root: String

    init() throws { root = try WeftProcess.temporaryDirectory() }

    func home(_ name: String) -> String { root + "/" + name }

    func initNode(_ name: String) throws {
        let result = try WeftProcess.run(["init", "--home", home(name), "--name", name])
        #expect(result.status == 0, "\(result.stderr)")
    }

    func write(_ text: String, to name: String) throws -> String {
        let path = root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Two nodes: alpha publishes ``publication``; beta trusts alpha's card (nothing exchanged yet).
    func alphaPublishedAndTrustedByBeta() throws {
        try initNode("alpha")
        try initNode("beta")
        #expect(
            try WeftProcess.run(["publish", "--home", home("alpha"), try write(Self.publication, to: "p.jsonl")]).status
                == 0)
        let card = try WeftProcess.run(["identity", "export", "--home", home("alpha")])
        let added = try WeftProcess.run([
            "origin", "add", "--home", home("beta"), "--card", try write(card.stdout, to: "alpha.card"),
        ])
        #expect(added.status == 0, "\(added.stderr)")
    }

    static let publication = """
        {"type":"case","id":"op-1","status":"confirmed","labels":["disarm:1.6:T0084.001","killchain:6.1.3"],"accounts":7704}
        {"type":"report","case":"op-1","kind":"domain","value":"example-news.com","first_seen":"2023-05-01","last_seen":"2023-06-10","confidence":90,"posting_accounts":40,"flagged_accounts":38}
        {"type":"report","case":"op-1","kind":"url","value":"https://example-news.com/story/1","first_seen":"2023-05-02","confidence":80,"posting_accounts":12,"flagged_accounts":12}

        """

    @Test func initCreatesAPrivateHomeAndRefusesToOverwrite() throws {
        try initNode("alpha")
        let mode =
            try FileManager.default.attributesOfItem(atPath: home("alpha") + "/origin.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try WeftProcess.run(["init", "--home", home("alpha"), "--name", "other"])
        #expect(again.status == 73)
        #expect(again.stderr.contains("already holds a node"))
    }

    @Test func missingHomeExits66AndWeftHomeIsHonoured() throws {
        let missing = try WeftProcess.run(["status", "--home", home("nowhere")])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("weft init"))
        try initNode("alpha")
        let viaEnvironment = try WeftProcess.run(["status", "--json"], environment: ["WEFT_HOME": home("alpha")])
        #expect(viaEnvironment.status == 0)
        let status = try #require(try WeftProcess.json(viaEnvironment) as? [String: Any])
        #expect((status["origins"] as? [String: Int])?["active"] == 1)
    }

    @Test func anOpenKeyFileIsRefusedWith77() throws {
        try initNode("alpha")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: home("alpha") + "/origin.key")
        let result = try WeftProcess.run([
            "publish", "--home", home("alpha"), try write(Self.publication, to: "p.jsonl"),
        ])
        #expect(result.status == 77)
        #expect(result.stderr.contains("chmod 600"))
    }

    @Test func aBadLineFailsTheWholeFileWithItsLineNumber() throws {
        try initNode("alpha")
        let before = try WeftProcess.run(["status", "--home", home("alpha"), "--json"]).stdout
        let bad =
            Self.publication
            + #"{"type":"report","case":"op-1","kind":"email","value":"x@example.com","first_seen":"2023-05-01","confidence":5,"posting_accounts":1,"flagged_accounts":1}"#
            + "\n"
        let result = try WeftProcess.run(["publish", "--home", home("alpha"), try write(bad, to: "bad.jsonl")])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 4: field 'kind'"))
        #expect(result.stderr.contains("nothing was published"))
        let after = try WeftProcess.run(["status", "--home", home("alpha"), "--json"]).stdout
        #expect(
            after.replacingOccurrences(of: "\"audit_entries\" : \\d+", with: "", options: .regularExpression)
                == before.replacingOccurrences(of: "\"audit_entries\" : \\d+", with: "", options: .regularExpression))
        let unknownCase =
            #"{"type":"report","case":"nope","kind":"domain","value":"a.example.com","first_seen":"2023-05-01","confidence":5,"posting_accounts":1,"flagged_accounts":1}"#
        let orphan = try WeftProcess.run([
            "publish", "--home", home("alpha"), try write(unknownCase, to: "orphan.jsonl"),
        ])
        #expect(orphan.status == 65)
        #expect(orphan.stderr.contains("case nope is not declared"))
    }

    @Test func offlineExchangeBetweenTwoNodes() throws {
        try initNode("alpha")
        try initNode("beta")
        let published = try WeftProcess.run([
            "publish", "--home", home("alpha"), "--json", try write(Self.publication, to: "p.jsonl"),
        ])
        #expect(published.status == 0, "\(published.stderr)")
        let card = try WeftProcess.run(["identity", "export", "--home", home("alpha")])
        let added = try WeftProcess.run([
            "origin", "add", "--home", home("beta"), "--card", try write(card.stdout, to: "alpha.card"),
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let exported = try WeftProcess.run(["bundle", "export", "--home", home("alpha"), "--after", "0"])
        #expect(exported.status == 0)
        let file = try write(exported.stdout, to: "alpha.ndjson")
        // verify changes nothing; apply lands it; a second apply is a no-op.
        let verified = try WeftProcess.run(["bundle", "verify", "--home", home("beta"), file])
        #expect(verified.status == 0 && verified.stdout.contains("would be applied"))
        #expect(try WeftProcess.run(["status", "--home", home("beta"), "--json"]).stdout.contains("\"bundles\" : 0"))
        let applied = try WeftProcess.run(["bundle", "apply", "--home", home("beta"), file, "--json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        let again = try WeftProcess.run(["bundle", "apply", "--home", home("beta"), file])
        #expect(again.stdout.contains("duplicate"))
        let shown = try WeftProcess.run([
            "indicator", "show", "--home", home("beta"), "domain", "example-news.com", "--json",
        ])
        let sighting = try #require(try WeftProcess.json(shown) as? [String: Any])
        let reports = try #require(sighting["reports"] as? [[String: Any]])
        #expect(reports.count == 1)
        #expect(reports.first?["origin_name"] as? String == "alpha")
        #expect(reports.first?["case_id"] as? String == "op-1")
        #expect(reports.first?["posting_accounts"] as? String == "32–63")
        let verify = try WeftProcess.run(["verify", "--home", home("beta")])
        #expect(verify.status == 0 && verify.stdout.contains("equals the incremental state"))
    }

    @Test func aTamperedFileIsRejectedAndAudited() throws {
        try alphaPublishedAndTrustedByBeta()
        let exported = try WeftProcess.run(["bundle", "export", "--home", home("alpha")]).stdout
        // Swap one base64 character of the payload.
        var characters = Array(exported)
        let index = try #require(exported.range(of: "\"payload\":\"")).upperBound.utf16Offset(in: exported) + 40
        characters[index] = characters[index] == "A" ? "B" : "A"
        let file = try write(String(characters), to: "tampered.ndjson")
        let result = try WeftProcess.run(["bundle", "apply", "--home", home("beta"), file])
        #expect(result.status == 65)
        #expect(result.stdout.contains("rejected"))
        #expect(try WeftProcess.run(["status", "--home", home("beta"), "--json"]).stdout.contains("\"bundles\" : 0"))
    }

    @Test func revokedOriginLeavesTheMergedView() throws {
        try alphaPublishedAndTrustedByBeta()
        let file = try write(try WeftProcess.run(["bundle", "export", "--home", home("alpha")]).stdout, to: "a.ndjson")
        _ = try WeftProcess.run(["bundle", "apply", "--home", home("beta"), file])
        let revoked = try WeftProcess.run([
            "origin", "set-status", "--home", home("beta"), "alpha", "revoked", "--reason", "left",
        ])
        #expect(revoked.status == 0)
        let shown = try WeftProcess.run(["indicator", "show", "--home", home("beta"), "domain", "example-news.com"])
        #expect(shown.stdout.contains("no reports in the merged view"))
        let all = try WeftProcess.run([
            "indicator", "show", "--home", home("beta"), "domain", "example-news.com", "--all",
        ])
        #expect(all.stdout.contains("origin revoked"))
        let list = try WeftProcess.run(["origin", "list", "--home", home("beta"), "--json"])
        let origins = try #require(try WeftProcess.json(list) as? [[String: Any]])
        #expect(origins.first { $0["name"] as? String == "alpha" }?["status"] as? String == "revoked")
    }
}
