import ArgumentParser
import Foundation
import WeftAnalysis
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

/// `weft bench merge`: detection quality and merge time on simulated scenarios, scored against their truth.
struct BenchMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Simulate, ingest every platform, merge, and score: detection quality over several seeds.",
        discussion: """
            For each seed: `weft simulate` into a temporary folder, every platform through the ingest pipeline (in \
            this process, no store), all cases and reports into one merged view, the merge, and `weft score` \
            against truth.json. The store path (`weft ops list` on a node that holds the bundles) runs the same \
            merge on the same view; tests check it. Figures: docs/benchmarks.md.
            """
    )

    @Option(help: "Scenario tier.") var tier: ScenarioParameters.Tier = .ci
    @Option(help: "Seeds, comma-separated.") var seeds = "1,2,3,4,5"
    @Option(help: "The Public Suffix List file.") var publicSuffixList = PublicSuffixList.debianPath
    @Option(help: "Keep each seed's operations and score in this folder.") var keep: String?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Bundles of 1,000 reports to retract and deliver again through the incremental merge (0: skip).")
    var incrementalBundles = 5
    @Flag(
        help: """
            Time the incremental updates without comparing each with a full rebuild (the comparison holds a second \
            view in memory, which does not fit at ten million reports on 24 GB).
            """)
    var skipIncrementalCheck = false
    @Option(
        help: """
            Repeat each seed's view this many times as federations that share nothing (renamed platforms, disguised \
            values) to measure the merge at scale; scores are of the original copy.
            """)
    var copies = 1
    @Option(help: "Tuning: minimum exclusivity of an item that links.") var minimumExclusivity: Double?
    @Option(help: "Tuning: minimum weight of any edge.") var minimumEdgeWeight: Double?
    @Option(help: "Tuning: minimum weight of a single-family edge.") var singleFamilyWeight: Double?
    @Option(help: "Tuning: items reported by more cases than this link nothing.") var maximumCasesPerItem: Int?
    @Option(help: "Tuning: flagged accounts an item needs over all reporters.") var minimumSupport: Int?
    @Option(help: "Tuning: cut bridges weaker than this share of a community's median edge (0: never).")
    var bridgeRatio: Double?

    var policy: MergePolicy {
        var policy = MergePolicy()
        if let minimumExclusivity { policy.minimumExclusivity = minimumExclusivity }
        if let minimumEdgeWeight { policy.minimumEdgeWeight = minimumEdgeWeight }
        if let singleFamilyWeight { policy.singleFamilyWeight = singleFamilyWeight }
        if let maximumCasesPerItem { policy.maximumCasesPerItem = maximumCasesPerItem }
        if let minimumSupport { policy.minimumSupport = minimumSupport }
        if let bridgeRatio { policy.bridgeRatio = bridgeRatio }
        return policy
    }

    struct SeedResult: Encodable {
        var seed: UInt64
        var reports: Int
        var cases: Int
        var operations: Int
        var mergeSeconds: Double
        var score: ScenarioScore
        var incremental: IncrementalMergeBench.Result?
        /// With `--copies`: whether the merge found every original operation once in each copy.
        var copiesAgree: Bool?
    }

    func run() throws {
        try runReporting {
            let seedList = seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard !seedList.isEmpty else {
                throw CLIFailure("--seeds must list at least one number", status: ExitStatus.usage)
            }
            guard copies >= 1 else { throw CLIFailure("--copies must be at least 1", status: ExitStatus.usage) }
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            var results: [SeedResult] = []
            for seed in seedList {
                let scenario = try IngestedScenario.make(tier: tier, seed: seed, canonicalizer: canonicalizer) {
                    if !json { printError($0) }
                }
                defer { scenario.remove() }
                let truth = scenario.truth
                let original = scenario.view
                if copies > 1, !json { printError("seed \(seed): repeating the view \(copies) times") }
                let view = RepeatedView.repeated(original, copies: copies)
                if !json {
                    printError(
                        "seed \(seed): merging \(view.reports.count) reports (resident \(ResidentMemory.description()))"
                    )
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let operations = OperationFinder(policy: policy).operations(in: view)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let originals = operations.filter { RepeatedView.isOriginal($0.platforms) }
                let copiesAgree = copies > 1 ? Self.copiesAgree(originals, operations, copies: copies) : nil
                let (encoded, answer) = try OperationList(operations: originals).answer()
                let score = ScenarioScorer(truth: truth).score(answer)
                var incremental: IncrementalMergeBench.Result?
                if incrementalBundles > 0 {
                    if !json {
                        printError("seed \(seed): incremental updates (resident \(ResidentMemory.description()))")
                    }
                    incremental = IncrementalMergeBench(
                        view: view, policy: policy, checksRebuild: !skipIncrementalCheck, progress: !json
                    ).run(
                        bundles: incrementalBundles, rebuilt: operations)
                }
                if let keep {
                    try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                    try encoded.write(to: URL(fileURLWithPath: "\(keep)/operations-\(seed).json"))
                    try? FileManager.default.removeItem(atPath: "\(keep)/truth-\(seed).json")
                    try FileManager.default.copyItem(
                        atPath: scenario.folder + "/truth.json", toPath: "\(keep)/truth-\(seed).json")
                }
                results.append(
                    SeedResult(
                        seed: seed, reports: view.reports.count, cases: view.cases.count, operations: operations.count,
                        mergeSeconds: seconds, score: score, incremental: incremental, copiesAgree: copiesAgree))
            }
            if json { return try printJSON(results) }
            func figure(_ value: Double) -> String { String(format: "%.3f", value) }
            let rows = results.map { result in
                [
                    "\(result.seed)", "\(result.reports)", "\(result.cases)", "\(result.operations)",
                    figure(result.score.platformRecall), figure(result.score.accountRecall),
                    figure(result.score.clusterPrecision), figure(result.score.adjustedRandIndex),
                    "\(result.score.organicContentClusters)", "\(result.score.organicUTC8FalsePositives)",
                    String(format: "%.2f", result.mergeSeconds),
                    result.incremental.map { String(format: "%.2f", $0.loadSeconds) } ?? "-",
                    result.incremental.map { Self.spread($0.deliverMilliseconds) } ?? "-",
                    result.incremental.map { Self.spread($0.retractMilliseconds) } ?? "-",
                    result.incremental.map { $0.equalsRebuild.map { $0 ? "yes" : "NO" } ?? "not checked" } ?? "-",
                ]
            }
            func mean(_ value: (SeedResult) -> Double) -> String {
                figure(results.map(value).reduce(0, +) / Double(results.count))
            }
            print(
                renderTable(
                    [
                        "SEED", "REPORTS", "CASES", "OPS", "PLATFORM RECALL", "ACCOUNT RECALL", "PRECISION", "ARI",
                        "ORGANIC OPS", "UTC+8 FP", "MERGE S", "INC LOAD S", "DELIVER MS", "RETRACT MS",
                        "INC = REBUILD",
                    ],
                    rows + [
                        [
                            "mean", "", "", "", mean { $0.score.platformRecall }, mean { $0.score.accountRecall },
                            mean { $0.score.clusterPrecision }, mean { $0.score.adjustedRandIndex },
                            "\(results.reduce(0) { $0 + $1.score.organicContentClusters })",
                            "\(results.reduce(0) { $0 + $1.score.organicUTC8FalsePositives })", "", "", "", "", "",
                        ]
                    ]))
            for result in results {
                guard let agree = result.copiesAgree else { continue }
                print(
                    "seed \(result.seed): \(copies) copies; each holds the original's \(result.operations / copies) operations: "
                        + (agree ? "yes" : "NO"))
            }
        }
    }

    /// Whether `all` holds each original operation once per copy, with the same cases under the copy's names.
    static func copiesAgree(_ originals: [MergedOperation], _ all: [MergedOperation], copies: Int) -> Bool {
        func shape(_ operation: MergedOperation) -> [String] {
            operation.cases.map { "\($0.originName.split(separator: "~")[0])/\($0.caseID)" }.sorted()
        }
        var expected: [[String]: Int] = [:]
        for operation in originals { expected[shape(operation), default: 0] += copies }
        var found: [[String]: Int] = [:]
        for operation in all { found[shape(operation), default: 0] += 1 }
        return expected == found
    }

    /// Median and largest of some timings, in milliseconds.
    static func spread(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "-" }
        let sorted = values.sorted()
        return String(format: "%.1f / %.1f", sorted[sorted.count / 2], sorted.last!)
    }

}

/// `{"operations": [...]}`: the operations format (docs/operations-format.md).
struct OperationList: Encodable {
    var operations: [MergedOperation]

    /// The list in its JSON form, and read back as the scorer reads any operations file, so what is scored is
    /// exactly what `weft ops list --json` would print.
    func answer() throws -> (json: Data, answer: OperationsAnswer) {
        let json = try JSONEncoder().encode(self)
        return (json, try JSONDecoder().decode(OperationsAnswer.self, from: json))
    }
}
