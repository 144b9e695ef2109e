import Foundation
import WeftAnalysis
import WeftCore
import WeftScenario
import WeftStore

/// What a `weft demo` run found, for the terminal, `--json` and the HTML report.
struct DemoOutcome {
    let work: String
    let tier: String
    let seed: UInt64
    let nodes: [String]
    let links: [[String]]
    let reports: Int
    let operations: [MergedOperation]
    let score: ScenarioScore
    let seconds: [DemoClock.Lap]
    /// Per operation id: the smallest and largest account count its cases can stand for.
    private let accountRanges: [String: (low: Int, high: Int)]

    init(
        work: String, tier: String, seed: UInt64, nodes: [String], links: [[String]], reports: Int,
        operations: [MergedOperation], view: MergedView, score: ScenarioScore, seconds: [DemoClock.Lap]
    ) {
        self.work = work
        self.tier = tier
        self.seed = seed
        self.nodes = nodes
        self.links = links
        self.reports = reports
        self.operations = operations
        self.score = score
        self.seconds = seconds
        accountRanges = Dictionary(
            uniqueKeysWithValues: operations.map { operation in
                let detail = OperationDetail(operation: operation, view: view)
                return (operation.id, (detail.accountsLow, detail.accountsHigh))
            })
    }

    /// The smallest and largest account count the cases of `operation` can stand for.
    func accounts(_ operation: MergedOperation) -> (low: Int, high: Int) {
        accountRanges[operation.id] ?? (0, 0)
    }

    /// 39897 → "39,897".
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        return digits.enumerated().map { index, digit in
            (index > 0 && (digits.count - index) % 3 == 0 ? "," : "") + String(digit)
        }.joined()
    }

    /// A signed UTC offset, e.g. "UTC+8".
    static func offset(_ hours: Int?) -> String {
        hours.map { "UTC\($0 >= 0 ? "+" : "")\($0)" } ?? "-"
    }

    /// The terminal summary.
    /// - Parameter unclean: nodes that had to be killed, or nil while they are still running.
    func text(report: String, unclean: [String]?) -> String {
        func figure(_ value: Double) -> String { String(format: "%.3f", value) }
        var lines: [String] = []
        lines.append(
            "\(nodes.count) nodes (one per platform) in a sparse federation of \(links.count) mutual-TLS links "
                + "exchanged \(Self.grouped(reports)) reports; every node ended with identical data.")
        lines.append(
            "\nThe merge found \(operations.count) operation\(operations.count == 1 ? "" : "s") spanning several platforms:\n"
        )
        lines.append(
            renderTable(
                ["OPERATION", "PLATFORMS", "CASES", "ACCOUNTS", "ACTIVE", "EVIDENCE", "SCHEDULE"],
                operations.map { operation in
                    let (low, high) = accounts(operation)
                    return [
                        String(operation.id.prefix(16)), "\(operation.platforms.count)", "\(operation.cases.count)",
                        "\(low)–\(high)", "\(operation.firstSeen) … \(operation.lastSeen)",
                        operation.families.joined(separator: ","), Self.offset(operation.bestFitUTCOffset),
                    ]
                }))
        if let widest = operations.max(by: { $0.platforms.count < $1.platforms.count }) {
            lines.append(
                "\nThe widest, \(widest.id.prefix(16)), on \(widest.platforms.count) platforms, links through:")
            for item in widest.evidence.prefix(5) {
                let value = item.value.count > 40 ? String(item.value.prefix(37)) + "…" : item.value
                lines.append("  \(item.kind) \(value): \(item.reason)")
            }
        }
        lines.append("\nScored against the scenario's ground truth (which no node ever read):\n")
        lines.append(
            renderTable(
                ["MEASURE", "VALUE"],
                [
                    ["platform recall (mean per operation)", figure(score.platformRecall)],
                    ["account recall (mean per operation)", figure(score.accountRecall)],
                    ["cluster precision (accounts)", figure(score.clusterPrecision)],
                    ["adjusted Rand index", figure(score.adjustedRandIndex)],
                    ["operations built on organic content", "\(score.organicContentClusters)"],
                ]))
        let timing = seconds.map { "\($0.name) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
        lines.append("\ntime: \(timing); total \(String(format: "%.1f", seconds.map(\.seconds).reduce(0, +))) s")
        if let unclean {
            lines.append("every node stopped\(unclean.isEmpty ? " cleanly" : ""); nothing is left listening")
        }
        lines.append("report: \(report)\nnode homes, logs and the scenario: \(work)")
        return lines.joined(separator: "\n")
    }

    /// The `--json` form.
    struct Summary: Encodable {
        struct Operation: Encodable {
            var id: String
            var platforms: [String]
            var cases: Int
            var accountsLow: Int
            var accountsHigh: Int
            var families: [String]
            var firstSeen: String
            var lastSeen: String
            var bestFitUTCOffset: Int?
        }
        var workdir: String
        var report: String
        var tier: String
        var seed: UInt64
        var nodes: [String]
        var links: [[String]]
        var reports: Int
        var operations: [Operation]
        var score: ScenarioScore
        var seconds: [String: Double]
    }

    func summary(report: String) -> Summary {
        Summary(
            workdir: work, report: report, tier: tier, seed: seed, nodes: nodes, links: links, reports: reports,
            operations: operations.map {
                let (low, high) = accounts($0)
                return .init(
                    id: $0.id, platforms: $0.platforms, cases: $0.cases.count, accountsLow: low, accountsHigh: high,
                    families: $0.families, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                    bestFitUTCOffset: $0.bestFitUTCOffset)
            }, score: score,
            seconds: Dictionary(seconds.map { ($0.name, $0.seconds) }, uniquingKeysWith: +))
    }
}
