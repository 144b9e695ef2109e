import Foundation
import Testing

/// `weft bench store --copies N` builds the store the analyst API is measured on at scale. It is only worth
/// measuring if it holds what a node would: every copy's feeds signed by their own origin keys and verified on
/// the way in, and a merge over it that finds each copy's operations, exactly as the in-memory copies do.
@Suite struct BenchStoreTests {
    static func json(_ arguments: [String]) throws -> Any {
        let run = try WeftProcess.run(arguments + ["--json"])
        try #require(run.status == 0, "\(run.stderr)")
        return try JSONSerialization.jsonObject(with: run.stdoutBytes)
    }

    @Test func threeCopiesAreSignedFeedsThatMergeIntoThreeTimesTheOperations() throws {
        let work = try WeftProcess.temporaryDirectory()
        let built = try #require(
            try Self.json(["bench", "store", "--tier", "tiny", "--seed", "2", "--copies", "3", "--workdir", work])
                as? [String: Any])
        let home = try #require(built["home"] as? String)
        let inMemory = try #require(
            try Self.json(["bench", "merge", "--tier", "tiny", "--seeds", "2", "--incremental-bundles", "0"])
                as? [[String: Any]])
        let reports = try #require(inMemory.first?["reports"] as? Int)
        let operations = try #require(inMemory.first?["operations"] as? Int)
        #expect(operations > 0)
        #expect(built["reports"] as? Int == 3 * reports)

        let status = try #require(try Self.json(["status", "--home", home]) as? [String: Any])
        #expect(status["reports"] as? Int == 3 * reports)
        let origins = try #require(status["origins"] as? [String: Any])
        #expect(origins["active"] as? Int == (built["origins"] as? Int ?? -1) + 1, "every copy's origin and the node")

        // Every bundle verifies again from the stored bytes.
        let verify = try WeftProcess.run(["verify", "--home", home])
        #expect(verify.status == 0, "\(verify.stderr)")

        let listed = try #require(try Self.json(["ops", "list", "--home", home]) as? [String: Any])
        let found = try #require(listed["operations"] as? [[String: Any]])
        #expect(found.count == 3 * operations)
        let platforms = found.flatMap { $0["platforms"] as? [String] ?? [] }
        for copy in 1...2 { #expect(platforms.contains { $0.hasSuffix("~\(copy)") }) }
    }
}
