import ArgumentParser
import Foundation
import WeftAnalysis
import WeftCore
import WeftServer
import WeftStore

/// `weft indicator show KIND VALUE`: which origins and cases reported an indicator.
struct IndicatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicator", abstract: "Look up indicators in the merged view.",
        subcommands: [IndicatorShowCommand.self]
    )
}

struct IndicatorShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract:
            "Show which origins and cases reported an indicator (dates, confidence, prevalence), what was reported with it, and its near copies.",
        discussion:
            "Retracted reports and reports from quarantined or revoked origins are left out unless --all is given."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The indicator kind, e.g. domain, url, pdq, account.")
    var kind: String

    @Argument(help: "The value in its canonical form.")
    var value: String

    @Flag(help: "Include retracted reports and reports from quarantined or revoked origins.")
    var all = false

    func run() throws {
        try runReporting {
            let indicator: Indicator
            do { indicator = try Indicator(kind: try IndicatorKind(validating: kind), value: value) } catch let error
                as RecordError
            {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
            let provenance = try IndicatorProvenance(
                indicator, in: try NodeHome.open(home).store(), includeWithdrawn: all)
            if output.json { return try printJSON(provenance) }
            let sightings = provenance.reports
            print("\(indicator.kind.rawValue) \(indicator.value)")
            print("key \(indicator.key)")
            guard !sightings.isEmpty else {
                return print("no reports in the merged view" + (all ? "" : " (try --all)"))
            }
            print("\(sightings.count) report(s) from \(Set(sightings.map(\.origin)).count) origin(s)\n")
            print(
                renderTable(
                    ["ORIGIN", "CASE", "STATUS", "SEEN", "CONF", "POSTING", "FLAGGED", "LABELS", "NOTE"],
                    sightings.map { item in
                        let note =
                            item.retractedBy != nil
                            ? "retracted" : item.originStatus != "active" ? "origin \(item.originStatus)" : ""
                        return [
                            item.originName, item.caseID, item.caseStatus, "\(item.firstSeen)…\(item.lastSeen)",
                            "\(item.confidence)",
                            item.postingAccounts, item.flaggedAccounts, item.labels.joined(separator: ","), note,
                        ]
                    }))
            print(
                "every report came in a bundle whose Ed25519 signature was verified on arrival (weft verify re-checks)")
            if !provenance.cooccurring.isEmpty {
                print("\nreported in the same cases:")
                print(
                    renderTable(
                        ["KIND", "VALUE", "SHARED CASES"],
                        provenance.cooccurring.map {
                            [
                                $0.kind, $0.value.count > 64 ? String($0.value.prefix(61)) + "…" : $0.value,
                                "\($0.cases)",
                            ]
                        }))
            }
            if !provenance.near.isEmpty {
                print("\nnear copies reported elsewhere:")
                SearchCommand.printMatches(provenance.near) { match in
                    match.distance.map { "distance \($0)" } ?? String(format: "similarity %.2f", match.similarity ?? 0)
                }
            }
        }
    }
}
