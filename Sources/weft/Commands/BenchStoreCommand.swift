import ArgumentParser
import Foundation
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

/// `weft bench store`: a node whose store holds a simulated scenario repeated many times, signed and verified like
/// any received feed, for measuring analyst queries and merges at the scale (ten million reports).
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Build a node holding a scenario repeated --copies times as signed feeds (for scale benchmarks).",
        discussion: """
            Simulates and ingests --tier/--seed as `weft bench merge` does, then creates a node home at \
            WORKDIR/nodes/analyst (a CA and certificate from the certs/ scripts, as `weft demo` makes them) and \
            fills its store with --copies copies of every platform's cases and reports: copy k of a platform is \
            its own origin `NAME~k` with a fresh Ed25519 key on the node's roster, its values disguised as \
            `weft bench merge --copies` disguises them (so copies share nothing), signed into bundles of 1,000 \
            reports and applied through the full verification pipeline. Then, for example: \
            `weft ops list --home WORKDIR/nodes/analyst` (merges and saves the result) and \
            `scripts/bench-api.sh WORKDIR/nodes/analyst`. Figures: docs/benchmarks.md.
            """)

    @Option(help: "Scenario tier.") var tier: ScenarioParameters.Tier = .stress
    @Option(help: "Scenario seed.") var seed: UInt64 = 1
    @Option(help: "How many times to repeat the scenario (copy 0 is the scenario itself).") var copies = 1
    @Option(help: "Folder for the CA and the node home (must not hold a node yet).") var workdir: String
    @Option(help: "The certs/ folder (default: ./certs, or the checkout the binary was built in).") var certs: String?
    @Option(help: "The Public Suffix List file.") var publicSuffixList = PublicSuffixList.debianPath
    @Option(help: "Bundles per apply transaction.") var batchSize = 64
    @Flag(help: "Print JSON.") var json = false

    struct Summary: Encodable {
        var home: String
        var origins: Int
        var reports: Int
        var bundles: Int
        var applySeconds: Double
        var storeBytes: Int
    }

    func run() async throws {
        try await runReporting {
            guard copies >= 1 else { throw CLIFailure("--copies must be at least 1", status: ExitStatus.usage) }
            let scripts = try CertificateScripts.locate(certs)
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            let scenario = try IngestedScenario.make(tier: tier, seed: seed, canonicalizer: canonicalizer) {
                if !json { printError($0) }
            }
            defer { scenario.remove() }
            let federation = try DemoFederation.create(
                names: ["analyst"], work: workdir, certs: scripts, pollInterval: 3_600
            ) { if !json { printError($0) } }
            let node = federation.members[0]

            var origins = 0
            var reports = 0
            var bundles = 0
            var applySeconds = 0.0
            for copy in 0..<copies {
                let stream = RepeatedView.keyStream(copy)
                var envelopes: [[UInt8]] = []
                for (name, result) in scenario.platforms {
                    let key = OriginKey()
                    _ = try node.store.addOrigin(
                        name: copy == 0 ? name : name + RepeatedView.suffix(copy), publicKey: key.publicKey)
                    let disguised = try result.reports.map { report in
                        guard copy > 0 else { return report }
                        var report = report
                        report.indicator = try Indicator(
                            kind: report.indicator.kind,
                            value: RepeatedView.disguise(
                                report.indicator.value, kind: report.indicator.kind, stream: stream, copy: copy))
                        return report
                    }
                    let signed = BundleBuilder(key: key, channel: .federation, audience: .federation).build(
                        after: nil, cases: result.cases, reports: disguised, retractions: [],
                        created: Timestamp.string())
                    envelopes += signed.map(\.envelopeBytes)
                    origins += 1
                    reports += disguised.count
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let outcomes = try await node.store.receive(
                    pipelined: stride(from: 0, to: envelopes.count, by: batchSize).map {
                        Array(envelopes[$0..<min($0 + batchSize, envelopes.count)])
                    })
                applySeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let rejected = outcomes.joined().filter { if case .failure = $0 { true } else { false } }.count
                guard rejected == 0 else { throw CLIFailure("copy \(copy): \(rejected) bundles were rejected") }
                bundles += envelopes.count
                if !json {
                    printError(
                        "copy \(copy + 1)/\(copies): \(reports) reports in \(bundles) bundles applied "
                            + String(format: "(%.0f reports/s; ", Double(reports) / applySeconds)
                            + "resident \(ResidentMemory.description()))")
                }
            }
            let storeBytes =
                ((try? FileManager.default.attributesOfItem(atPath: node.home.databasePath))?[.size]
                    as? Int) ?? 0
            let summary = Summary(
                home: node.home.path, origins: origins, reports: reports, bundles: bundles,
                applySeconds: applySeconds, storeBytes: storeBytes)
            if json { return try printJSON(summary) }
            print(
                "\(summary.home): \(reports) reports from \(origins) origins in \(bundles) bundles, applied in "
                    + String(format: "%.1f s; store %.2f GB", applySeconds, Double(storeBytes) / 1e9))
        }
    }
}
