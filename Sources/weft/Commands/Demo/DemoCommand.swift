import ArgumentParser
import Foundation
import WeftAnalysis
import WeftCore
import WeftHashing
import WeftIngest
import WeftScenario
import WeftStore

/// `weft demo`: the whole story on one machine, with real processes, certificates and sockets.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Simulate platforms, run a federation of real nodes on 127.0.0.1, and show what the merge reveals.",
        discussion: """
            Steps: simulate a scenario (weft simulate); make a federation CA and one certificate per node with the \
            certs/ scripts; start one `weft serve` process per platform on 127.0.0.1 (ports chosen by the system), \
            each with its own home and SQLite store; peer them in a sparse topology (a ring plus random chords, \
            not all-to-all); each node ingests its own platform's export and publishes; wait until every node \
            holds every feed; merge; print the operations found and their score against the scenario's ground \
            truth; write an HTML report. Every node is stopped on exit, on error and on Ctrl-C. Progress goes to \
            standard error, results to standard output. Details: docs/demo.md.
            """)

    @Option(help: "Scenario size: tiny, ci or stress.") var tier: ScenarioParameters.Tier = .ci
    @Option(help: "Number of platforms (and nodes); default: the tier's.") var platforms: Int?
    @Option(help: "Scenario and topology seed.") var seed: UInt64 = 1
    @Option(
        help:
            "Folder for the scenario, node homes and report; must not exist or be empty (default: a new temporary folder)."
    )
    var workdir: String?
    @Option(help: "The certs/ folder (default: ./certs, or the checkout the binary was built in).") var certs: String?
    @Option(help: "Mean number of peers per node.") var degree = 3
    @Option(help: "Seconds between the nodes' pull rounds (notify pushes faster).") var pollInterval = 5
    @Option(help: "Seconds to wait for every node to hold every feed.") var timeout = 300
    @Flag(help: "Print the outcome as JSON on standard output.") var json = false
    @Flag(help: "Afterwards, keep the nodes running and print the dashboard's address, until Ctrl-C.")
    var keepServing = false

    func validate() throws {
        if let platforms, !(2...200).contains(platforms) { throw ValidationError("--platforms must be 2…200") }
        guard (2...20).contains(degree) else { throw ValidationError("--degree must be 2…20") }
        guard pollInterval >= 1, timeout >= 10 else {
            throw ValidationError("--poll-interval must be ≥ 1 and --timeout ≥ 10")
        }
    }

    func run() throws {
        try runReporting {
            let clock = DemoClock()
            let work = try workdir ?? Self.temporaryFolder()
            try Self.requireEmpty(work)
            let scripts = try CertificateScripts.locate(certs)
            let executable = try Self.executablePath()
            let interruptHandlers = ServeProcesses.stopChildrenOnInterrupt()
            defer { withExtendedLifetime(interruptHandlers) {} }

            // 1. The scenario: every platform's raw export, and the ground truth that only the scorer reads.
            var parameters = ScenarioParameters(tier: tier, seed: seed)
            if let platforms { parameters.platforms = platforms }
            step(1, "simulating \(parameters.platforms) platforms, \(parameters.operations) operations")
            let scenario = (work as NSString).appendingPathComponent("scenario")
            let summary: ScenarioSummary
            do {
                summary = try ScenarioGenerator(parameters: parameters, publishedHeadlines: []).write(to: scenario)
            } catch let error as ScenarioError {
                throw CLIFailure(error.description, status: ExitStatus.usage)
            }
            clock.lap("simulate")
            let federationKeyPath = (work as NSString).appendingPathComponent("federation.key")
            let federationKey = FederationKey.generate()
            try federationKey.write(to: federationKeyPath)

            // 2. Nodes, certificates, processes, peering.
            let names = summary.platforms.map(\.name)
            step(2, "creating \(names.count) nodes and their certificates with \(scripts.directory)/")
            let federation = try DemoFederation.create(
                names: names, work: work, certs: scripts, pollInterval: pollInterval, progress: detail)
            try federation.introduceOrigins()
            let fleet = ServeProcesses(executable: executable)
            defer { fleet.stopAll() }
            step(3, "starting \(names.count) `weft serve` processes on 127.0.0.1")
            for member in federation.members {
                let child = try fleet.start(
                    name: member.name, home: member.home.path, arguments: ["--log-level", "warning"])
                detail("\(member.name): sync \(child.syncURL), ops \(child.opsURL)")
            }
            var random = SeededRandom(seed: seed)
            let links = SparseTopology.edges(nodes: names.count, degree: degree, random: &random)
            try federation.peer(links, syncURLs: fleet.children.map(\.syncURL))
            detail(
                "\(links.count) peer links (mean degree \(String(format: "%.1f", 2 * Double(links.count) / Double(names.count))))"
            )
            clock.lap("start")

            // 3. Each platform hashes its own export and publishes; peers relay while the others still ingest.
            step(4, "each node ingests its own platform's export and publishes")
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: PublicSuffixList.debianPath))
            let ingest = PlatformIngest(federationKey: federationKey, canonicalizer: canonicalizer)
            var heads: [OriginID: Int] = [:]
            var reports = 0
            for (index, member) in federation.members.enumerated() {
                let result: IngestResult
                do {
                    result = try ingest.run(
                        try PlatformExport(directory: (scenario as NSString).appendingPathComponent(member.name)))
                } catch {
                    throw CLIFailure("\(member.name): \(error)", status: ExitStatus.dataError)
                }
                guard !result.cases.isEmpty else {
                    detail("ingest \(index + 1)/\(names.count) \(member.name): no flagged cases, nothing to publish")
                    continue
                }
                let bundles = try member.store.publish(
                    Publication(
                        channel: .federation, audience: .federation, cases: result.cases, reports: result.reports),
                    key: member.key)
                heads[member.key.originID] = try member.store.head(origin: member.key.originID, channel: .federation)?
                    .seq
                reports += result.reports.count
                detail(
                    "ingest \(index + 1)/\(names.count) \(member.name): \(result.cases.count) cases, "
                        + "\(result.reports.count) reports, \(bundles.count) bundle(s)")
            }
            clock.lap("ingest")

            // 4. Convergence: every node holds every feed, relayed over the sparse topology.
            step(5, "waiting until all \(names.count) nodes hold all \(heads.count) feeds")
            try waitForConvergence(federation, heads: heads, fleet: fleet)
            clock.lap("converge")
            let checksums = try Set(federation.members.map { try $0.store.status(checksums: true).checksums ?? [:] })
            guard checksums.count == 1 else {
                throw CLIFailure(
                    "the nodes hold the same feeds but their derived tables differ (a bug: please report it)")
            }
            clock.lap("compare")

            // 5. The merge, at any node (all hold the same data), and its score against the ground truth.
            step(6, "merging at \(names[0]) and scoring against the ground truth")
            let view = try federation.members[0].store.mergedView()
            let operations = OperationFinder().operations(in: view)
            let score: ScenarioScore
            do {
                score = ScenarioScorer(truth: try GroundTruth.read(from: scenario + "/truth.json"))
                    .score(try OperationList(operations: operations).answer().answer)
            } catch let error as ScenarioError {
                throw CLIFailure(error.description, status: ExitStatus.dataError)
            }
            clock.lap("merge")

            // 6. Report, then stop every node and check that nothing is left listening.
            let outcome = DemoOutcome(
                work: work, tier: tier.rawValue, seed: seed, nodes: names,
                links: links.map { [names[$0.0], names[$0.1]] },
                reports: reports, operations: operations, view: view, score: score, seconds: clock.laps)
            let reportPath = (work as NSString).appendingPathComponent("report.html")
            try Data(DemoReport(outcome: outcome).html.utf8).write(to: URL(fileURLWithPath: reportPath))
            if keepServing {
                try serveUntilInterrupted(federation.members[0], fleet: fleet, outcome: outcome, report: reportPath)
            }
            step(7, "stopping every node")
            let unclean = fleet.stopAll()
            let listening = fleet.listeningPorts()
            guard listening.isEmpty else {
                throw CLIFailure(
                    "ports still listening after shutdown: \(listening.map(String.init).joined(separator: ", "))")
            }
            if !unclean.isEmpty { detail("did not stop cleanly (killed): \(unclean.joined(separator: ", "))") }
            clock.lap("stop")
            if json { return try printJSON(outcome.summary(report: reportPath)) }
            print(outcome.text(report: reportPath, unclean: unclean))
        }
    }

    /// Prints the outcome and the first node's dashboard address (with a new analyst token), then waits: the
    /// interrupt handler stops every node on Ctrl-C.
    private func serveUntilInterrupted(
        _ member: DemoFederation.Member, fleet: ServeProcesses, outcome: DemoOutcome, report: String
    ) throws -> Never {
        let token = try member.store.addAnalyst(named: "demo")
        let dashboard = fleet.children[0].opsURL + "/#/operations?token=" + token
        print(outcome.text(report: report, unclean: nil))
        print("\ndashboard of \(member.name) (every node holds the same data): \(dashboard)")
        print("analyst API: \(fleet.children[0].opsURL)/api/v1/operations (Authorization: Bearer \(token))")
        print("the \(fleet.children.count) nodes keep running; Ctrl-C stops every one of them")
        fflush(nil)  // standard output may be a pipe or file; the demo now waits for Ctrl-C
        while true { Thread.sleep(forTimeInterval: 3600) }
    }

    private func waitForConvergence(
        _ federation: DemoFederation, heads: [OriginID: Int], fleet: ServeProcesses
    ) throws {
        let started = Date()
        var lastLine = Date.distantPast
        while true {
            let (held, wanted, done) = try federation.progress(towards: heads)
            let seconds = Date().timeIntervalSince(started)
            if held == wanted || Date().timeIntervalSince(lastLine) >= 2 {
                detail(
                    "\(held)/\(wanted) feeds held, \(done)/\(federation.members.count) nodes complete "
                        + "(\(String(format: "%.1f", seconds)) s)")
                lastLine = Date()
            }
            if held == wanted { return }
            if let dead = fleet.children.first(where: { !$0.process.isRunning }) {
                throw CLIFailure("\(dead.name)'s `weft serve` exited; its log: \(dead.home)/serve.log")
            }
            guard seconds < Double(timeout) else {
                throw CLIFailure(
                    "after \(timeout) s only \(held) of \(wanted) feeds are held; node logs: <workdir>/nodes/*/serve.log"
                )
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    private func step(_ number: Int, _ text: String) {
        if !json { printError("[\(number)/7] \(text)") } else { printError("demo: \(text)") }
    }

    private func detail(_ text: String) { printError("      \(text)") }

    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weft-demo-\(UUID().uuidString.prefix(8).lowercased())"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func requireEmpty(_ path: String) throws {
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: path), !existing.isEmpty {
            throw CLIFailure("\(path) is not empty; choose a new --workdir", status: ExitStatus.usage)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// This `weft` binary, to start the nodes with.
    static func executablePath() throws -> String {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CLIFailure("cannot find the weft executable to start the nodes with")
        }
        return path
    }
}

/// Wall-clock time of each step.
final class DemoClock {
    /// One step's time.
    struct Lap: Encodable {
        var name: String
        var seconds: Double
    }

    private var last = Date()
    private(set) var laps: [Lap] = []

    func lap(_ name: String) {
        laps.append(Lap(name: name, seconds: Date().timeIntervalSince(last)))
        last = Date()
    }
}
