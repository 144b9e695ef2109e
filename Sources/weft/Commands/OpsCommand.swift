import ArgumentParser
import Foundation
import WeftAnalysis
import WeftStore

/// `weft ops …`: the operations the merge finds in what this node holds.
struct OpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "Operations the merge reveals in this node's merged view.",
        subcommands: [OpsListCommand.self, OpsShowCommand.self]
    )
}

/// Runs the merge on a node's merged view.
func mergedOperations(_ home: HomeOptions) throws -> [MergedOperation] {
    try SavedMerge.operations(in: try NodeHome.open(home).store()).operations
}

struct OpsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List operations: cases on several platforms joined by evidence exclusive to flagged accounts.",
        discussion: """
            The merge runs on every call, over the reports in the merged view (retracted reports and quarantined \
            or revoked origins left out). --json prints the operations format of docs/operations-format.md, which \
            `weft score` reads. How operations are found: docs/merge.md.
            """
    )

    @OptionGroup var home: HomeOptions
    @Option(help: "Only operations on at least this many platforms.") var minPlatforms = 1
    @Option(help: "Only operations with this label (e.g. disarm:1.6:T0084.001 or killchain:6.1.3).") var label: String?
    @Option(help: "Only operations seen on or after this day (YYYY-MM-DD).") var since: String?
    @Flag(help: "Print the operations as JSON (docs/operations-format.md).") var json = false

    func run() throws {
        try runReporting {
            let operations = try mergedOperations(home).filter {
                $0.matches(minPlatforms: minPlatforms, label: label, since: since)
            }
            if json { return try printJSON(OperationList(operations: operations)) }
            if operations.isEmpty { return print("no operations") }
            print(
                renderTable(
                    ["ID", "PLATFORMS", "CASES", "FIRST SEEN", "LAST SEEN", "CONFIDENCE", "EVIDENCE", "UTC OFFSET"],
                    operations.map { operation in
                        [
                            operation.id, "\(operation.platforms.count)", "\(operation.cases.count)",
                            operation.firstSeen,
                            operation.lastSeen, String(format: "%.2f", operation.confidence),
                            operation.families.joined(separator: ","),
                            operation.bestFitUTCOffset.map { $0 >= 0 ? "+\($0)" : "\($0)" } ?? "-",
                        ]
                    }))
        }
    }
}

struct OpsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One operation: platforms, timeline, evidence, schedule heat-map, DISARM profile."
    )

    @OptionGroup var home: HomeOptions
    @Argument(help: "The operation id (from `weft ops list`), or a unique prefix of it.") var id: String
    @Flag(help: "Print the operation as JSON.") var json = false

    func run() throws {
        try runReporting {
            let matches = try mergedOperations(home).filter { $0.id.hasPrefix(id) }
            guard matches.count == 1, let operation = matches.first else {
                throw CLIFailure(
                    matches.isEmpty
                        ? "no operation \(id)" : "'\(id)' matches \(matches.count) operations; give more of the id",
                    status: ExitStatus.dataError)
            }
            if json { return try printJSON(operation) }
            print("\(operation.id): \(operation.cases.count) cases on \(operation.platforms.count) platforms")
            print(
                "seen \(operation.firstSeen) … \(operation.lastSeen), confidence \(String(format: "%.2f", operation.confidence))"
            )
            print("evidence families: \(operation.families.joined(separator: ", "))\n")
            print(
                renderTable(
                    ["PLATFORM", "CASES", "FIRST SEEN", "LAST SEEN"],
                    operation.timeline.map { [$0.platform, "\($0.cases)", $0.firstSeen, $0.lastSeen] }))
            print()
            print(
                renderTable(
                    ["KIND", "VALUE", "WEIGHT", "WHY"],
                    operation.evidence.map {
                        [
                            $0.kind, $0.value.count > 48 ? String($0.value.prefix(45)) + "…" : $0.value,
                            String(format: "%.2f", $0.weight), $0.reason,
                        ]
                    }))
            if let schedule = operation.schedule {
                print("\nwhen its accounts post (UTC, hour of week; darker is busier)")
                print(Self.heatMap(schedule))
                if let offset = operation.bestFitUTCOffset {
                    print("best-fit office time zone: UTC\(offset >= 0 ? "+" : "")\(offset)")
                }
            }
            if !operation.labelProfile.isEmpty {
                print("\nlabels (cases carrying each):")
                for (label, count) in operation.labelProfile.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    print("  \(label)  \(count)")
                }
            }
        }
    }

    /// Seven rows (Monday first) of 24 hours, one character per hour by level 0–15.
    static func heatMap(_ hex: String) -> String {
        let shades = Array(" .:-=+*#%@")
        let levels = hex.compactMap { $0.hexDigitValue }
        var lines = ["     " + (0..<24).map { $0 % 6 == 0 ? String(format: "%-6d", $0) : "" }.joined()]
        for (day, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].enumerated() {
            let row = levels[(day * 24)..<(day * 24 + 24)].map { shades[min(shades.count - 1, $0 * shades.count / 16)] }
            lines.append("\(name)  " + String(row))
        }
        return lines.joined(separator: "\n")
    }
}
