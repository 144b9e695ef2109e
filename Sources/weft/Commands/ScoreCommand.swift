import ArgumentParser
import Foundation
import WeftScenario

/// `weft score`: how well found operations match a scenario's ground truth.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score operations (a file as `weft ops list --json` writes it, or a node's own) against truth.json.",
        discussion: """
            Prints per-operation platform and account recall, account-level cluster precision and its weighted form \
            (Σ nₖpₖ² / Σ nₖpₖ), the adjusted Rand index, the number of operations built on organic content (memes, \
            syndicated news, hashtag bursts, state media), and the false-positive rate on ordinary UTC+8 accounts, \
            stratified by how many platforms an operation spans. Definitions: docs/scenario.md, section Scoring; \
            the input format: docs/operations-format.md.
            """
    )

    @Option(help: "The scenario's truth.json.")
    var truth: String

    @Option(help: "The operations file (JSON, docs/operations-format.md).")
    var operations: String?

    @Option(
        name: .customLong("node"),
        help: ArgumentHelp(
            "Score the operations the merge finds on this node home instead of a file.", valueName: "dir"))
    var node: String?

    func validate() throws {
        guard (operations == nil) != (node == nil) else {
            throw ValidationError("give exactly one of --operations FILE and --node HOME")
        }
    }

    @Flag(help: "Print the full score as JSON.")
    var json = false

    /// The operations to score: read from the file, or found by the merge on the node.
    private func answer() throws -> OperationsAnswer {
        if let operations { return try OperationsAnswer.read(from: operations) }
        var home = HomeOptions()
        home.home = node
        return try OperationList(operations: try mergedOperations(home)).answer().answer
    }

    func run() throws {
        try runReporting {
            let score: ScenarioScore
            do {
                let scorer = ScenarioScorer(truth: try GroundTruth.read(from: truth))
                score = scorer.score(try answer())
            } catch let error as ScenarioError {
                throw CLIFailure(error.description, status: ExitStatus.dataError)
            }
            if json { return try printJSON(score) }
            func figure(_ value: Double) -> String { String(format: "%.3f", value) }
            print(
                renderTable(
                    ["MEASURE", "VALUE"],
                    [
                        ["platform recall (mean per operation)", figure(score.platformRecall)],
                        ["account recall (mean per operation)", figure(score.accountRecall)],
                        ["cluster precision (accounts)", figure(score.clusterPrecision)],
                        ["weighted precision", figure(score.weightedPrecision)],
                        ["adjusted Rand index", figure(score.adjustedRandIndex)],
                        ["operations built on organic content", "\(score.organicContentClusters)"],
                        [
                            "ordinary UTC+8 accounts in operations",
                            "\(score.organicUTC8FalsePositives) (rate \(String(format: "%.5f", score.organicUTC8FalsePositiveRate)))",
                        ],
                        ["cases the truth does not know", "\(score.unknownCases)"],
                    ]))
            print()
            print(
                renderTable(
                    ["PLATFORMS", "OPERATIONS", "PLATFORM RECALL", "ACCOUNT RECALL"],
                    score.strata.map {
                        [$0.name, "\($0.operations)", figure($0.platformRecall), figure($0.accountRecall)]
                    }))
            print()
            print(
                renderTable(
                    [
                        "OPERATION", "PLATFORMS", "REACHABLE", "FLAGGED", "MATCHED BY", "PLATFORM RECALL",
                        "ACCOUNT RECALL",
                    ],
                    score.operations.map {
                        [
                            $0.id, "\($0.platforms)", "\($0.reachablePlatforms)",
                            "\($0.flaggedAccounts)/\($0.accounts)",
                            $0.matchedBy ?? "-", figure($0.platformRecall), figure($0.accountRecall),
                        ]
                    }))
            if !score.unreachableOperations.isEmpty {
                print(
                    "not flagged on any platform (left out of the means): \(score.unreachableOperations.joined(separator: ", "))"
                )
            }
            if !score.singlePlatformOperations.isEmpty {
                print(
                    "flagged on one platform only (left out of the means): \(score.singlePlatformOperations.joined(separator: ", "))"
                        + "; found anyway: \(score.singlePlatformOperationsFound.isEmpty ? "none" : score.singlePlatformOperationsFound.joined(separator: ", "))"
                )
            }
        }
    }
}
