import Foundation
import Testing

/// `weft bench merge --copies N` measures the merge at scale on a view repeated as federations that share nothing.
/// The figures are only worth reading if the copies really are independent and faithful: each must hold exactly the
/// original's operations, and the original must score as it does alone.
@Suite struct BenchMergeCopiesTests {
    static func seed(_ arguments: [String]) throws -> [String: Any] {
        let run = try WeftProcess.run(
            ["bench", "merge", "--tier", "tiny", "--seeds", "2", "--incremental-bundles", "0", "--json"] + arguments)
        try #require(run.status == 0, "\(run.stderr)")
        let results = try #require(try JSONSerialization.jsonObject(with: run.stdoutBytes) as? [[String: Any]])
        return try #require(results.first)
    }

    @Test func threeCopiesHoldThreeTimesTheOperationsAndScoreAsTheOriginal() throws {
        let alone = try Self.seed([])
        let tripled = try Self.seed(["--copies", "3"])
        let operations = try #require(alone["operations"] as? Int)
        #expect(operations > 0)
        #expect(tripled["operations"] as? Int == 3 * operations)
        #expect(tripled["reports"] as? Int == 3 * (alone["reports"] as? Int ?? -1))
        #expect(tripled["copies_agree"] as? Bool == true)
        #expect(alone["copies_agree"] == nil)
        let score = try #require(alone["score"] as? [String: Any])
        let tripledScore = try #require(tripled["score"] as? [String: Any])
        #expect(NSDictionary(dictionary: score).isEqual(to: tripledScore))
    }

    /// The tiny tier has no origin with a full 1,000-report bundle, so only the load is timed and compared here.
    @Test func incrementalUpdatesAreComparedWithTheRebuildUnlessSkipped() throws {
        let checked = try #require(try Self.seed(["--incremental-bundles", "1"])["incremental"] as? [String: Any])
        #expect(checked["equals_rebuild"] as? Bool == true)
        #expect(checked["load_seconds"] is Double)
        let skipped = try #require(
            try Self.seed(["--incremental-bundles", "1", "--skip-incremental-check"])["incremental"] as? [String: Any])
        #expect(skipped["equals_rebuild"] == nil)
        #expect(skipped["load_seconds"] is Double)
    }

    @Test func zeroCopiesIsAUsageError() throws {
        let run = try WeftProcess.run(["bench", "merge", "--tier", "tiny", "--seeds", "1", "--copies", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--copies"))
    }
}
