import Foundation
import Testing

/// `weft bundle apply` killed with SIGKILL mid-run: every bundle lands whole or not at all, and a re-run resumes.
@Suite struct CrashSafetyTests {
    @Test func killedApplyLeavesOnlyWholeBundlesAndResumes() throws {
        let root = try WeftProcess.temporaryDirectory()
        for name in ["alpha", "beta"] {
            #expect(try WeftProcess.run(["init", "--home", "\(root)/\(name)", "--name", name]).status == 0)
        }
        // 5,000 reports: 5 bundles of 1,000. The kill points below fall before, during and after the apply run in a
        // debug build; the checks hold wherever they fall.
        var lines = [#"{"type":"case","id":"c1","status":"suspected","accounts":300}"#]
        for index in 0..<5_000 {
            lines.append(
                #"{"type":"report","case":"c1","kind":"domain","value":"d\#(index).example.com","first_seen":"2023-05-01","confidence":70,"posting_accounts":9,"flagged_accounts":3}"#
            )
        }
        let input = "\(root)/many.jsonl"
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        #expect(try WeftProcess.run(["publish", "--home", "\(root)/alpha", input]).status == 0)
        let card = try WeftProcess.run(["identity", "export", "--home", "\(root)/alpha"]).stdout
        try card.write(toFile: "\(root)/alpha.card", atomically: true, encoding: .utf8)
        #expect(
            try WeftProcess.run(["origin", "add", "--home", "\(root)/beta", "--card", "\(root)/alpha.card"]).status == 0
        )
        let feed = "\(root)/feed.ndjson"
        try WeftProcess.run(["bundle", "export", "--home", "\(root)/alpha"]).stdoutBytes.write(
            to: URL(fileURLWithPath: feed))

        // Kill at a few points; whatever was applied must be whole bundles, and verify must be clean.
        for delay in [0.2, 0.6, 1.2] {
            try WeftProcess.kill(["bundle", "apply", "--home", "\(root)/beta", feed], after: delay)

            let status = try #require(
                try WeftProcess.json(try WeftProcess.run(["status", "--home", "\(root)/beta", "--json"]))
                    as? [String: Any])
            let bundles = try #require(status["bundles"] as? Int)
            #expect(status["reports"] as? Int == bundles * 1_000, "a bundle was applied in part")
            let verify = try WeftProcess.run(["verify", "--home", "\(root)/beta"])
            #expect(verify.status == 0, "\(verify.stdout)")
        }
        let resumed = try WeftProcess.run(["bundle", "apply", "--home", "\(root)/beta", feed])
        #expect(resumed.status == 0)
        let status = try #require(
            try WeftProcess.json(try WeftProcess.run(["status", "--home", "\(root)/beta", "--json"])) as? [String: Any])
        #expect(status["bundles"] as? Int == 5)
        #expect(status["reports"] as? Int == 5_000)
    }
}
