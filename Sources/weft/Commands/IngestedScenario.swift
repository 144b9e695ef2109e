import Foundation
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

/// A simulated scenario ingested platform by platform in this process, with no store: where `weft bench merge`
/// and `weft bench store` start. The scenario's files stay in ``folder`` until ``remove()``.
struct IngestedScenario {
    let folder: String
    let truth: GroundTruth
    /// Each platform's name and what ingesting its export gave.
    let platforms: [(name: String, result: IngestResult)]

    /// Simulates `tier` with `seed` into a temporary folder and ingests every platform. The federation key is
    /// derived from the seed (it shapes the MinHash permutations), so runs repeat.
    static func make(
        tier: ScenarioParameters.Tier, seed: UInt64, canonicalizer: URLCanonicalizer, progress: (String) -> Void
    ) throws -> IngestedScenario {
        let folder = NSTemporaryDirectory() + "weft-bench-scenario-\(UUID().uuidString)"
        progress("seed \(seed): simulating \(tier.rawValue)")
        _ = try ScenarioGenerator(parameters: ScenarioParameters(tier: tier, seed: seed)).write(to: folder)
        let truth = try GroundTruth.read(from: folder + "/truth.json")
        progress("seed \(seed): ingesting \(truth.platforms.count) platforms")
        let key = try FederationKey(bytes: Hex.decode(Hex.sha256(Array("weft bench merge \(seed)".utf8)))!)
        let ingest = PlatformIngest(federationKey: key, canonicalizer: canonicalizer)
        let platforms = try truth.platforms.map { platform in
            let export = try PlatformExport(directory: folder + "/" + platform.name)
            return (export.name, try ingest.run(export))
        }
        return IngestedScenario(folder: folder, truth: truth, platforms: platforms)
    }

    /// Deletes the scenario's files.
    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// All cases and reports in one merged view, each platform its own origin named after it (the origin id is
    /// the SHA-256 of the name: there is no key).
    var view: MergedView {
        var cases: [MergedView.CaseEntry] = []
        var reports: [MergedView.ReportEntry] = []
        var names: [String: String] = [:]
        for (name, result) in platforms {
            let origin = Hex.sha256(Array(name.utf8))
            names[origin] = name
            var index: [String: Int] = [:]
            for item in result.cases {
                index[item.id.text] = cases.count
                cases.append(
                    .init(
                        origin: origin, channel: "federation", caseID: item.id.text, status: item.status.rawValue,
                        labels: item.labels.map(\.text), accountsBucket: item.accounts.index))
            }
            for report in result.reports {
                reports.append(
                    .init(
                        caseIndex: index[report.caseID.text]!, kind: report.indicator.kind,
                        value: report.indicator.value,
                        firstSeen: report.firstSeen.text, lastSeen: report.lastSeen.text, confidence: report.confidence,
                        accountsBucket: report.postingAccounts.index, flaggedBucket: report.flaggedAccounts.index))
            }
        }
        return MergedView(cases: cases, reports: reports, originNames: names, trust: names.mapValues { _ in 1 })
    }
}
