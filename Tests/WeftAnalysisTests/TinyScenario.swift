import Foundation
import TestScratch
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

/// A tiny simulated scenario, ingested platform by platform: the records each platform would publish, and the
/// merged view a node holding all of them would read.
struct TinyScenario {
    /// One platform's ingest result.
    struct Platform {
        let name: String
        let cases: [Case]
        let reports: [Report]
    }

    let platforms: [Platform]
    let truth: GroundTruth

    init(seed: UInt64) throws {
        let folder = TestScratch.path("weft-merge")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try ScenarioGenerator(parameters: ScenarioParameters(tier: .tiny, seed: seed)).write(to: folder)
        truth = try GroundTruth.read(from: folder + "/truth.json")
        let ingest = PlatformIngest(
            federationKey: try FederationKey(bytes: Array(repeating: 9, count: 32)),
            canonicalizer: URLCanonicalizer(suffixes: try PublicSuffixList()))
        platforms = try truth.platforms.map { platform in
            let result = try ingest.run(try PlatformExport(directory: "\(folder)/\(platform.name)"))
            return Platform(name: platform.name, cases: result.cases, reports: result.reports)
        }
    }

    static func caseEntry(_ record: Case, origin: String) -> MergedView.CaseEntry {
        .init(
            origin: origin, channel: "federation", caseID: record.id.text, status: record.status.rawValue,
            labels: record.labels.map(\.text), accountsBucket: record.accounts.index)
    }

    static func reportEntry(_ report: Report, caseIndex: Int) -> MergedView.ReportEntry {
        .init(
            caseIndex: caseIndex, kind: report.indicator.kind, value: report.indicator.value,
            firstSeen: report.firstSeen.text, lastSeen: report.lastSeen.text, confidence: report.confidence,
            accountsBucket: report.postingAccounts.index, flaggedBucket: report.flaggedAccounts.index)
    }

    /// Every case and report, each report with an id (its platform and position), origins named by platform.
    var all: (cases: [MergedView.CaseEntry], reports: [(id: String, entry: MergedView.ReportEntry)]) {
        var cases: [MergedView.CaseEntry] = []
        var reports: [(id: String, entry: MergedView.ReportEntry)] = []
        for platform in platforms {
            let base = cases.count
            cases += platform.cases.map { Self.caseEntry($0, origin: platform.name) }
            let index = Dictionary(uniqueKeysWithValues: platform.cases.enumerated().map { ($1.id, base + $0) })
            for (number, report) in platform.reports.enumerated() {
                reports.append(
                    ("\(platform.name)/\(number)", Self.reportEntry(report, caseIndex: index[report.caseID]!)))
            }
        }
        return (cases, reports)
    }

    var names: [String: String] { Dictionary(uniqueKeysWithValues: platforms.map { ($0.name, $0.name) }) }
}
