import ArgumentParser
import Foundation
import ServiceLifecycle
import WeftCore
import WeftHashing
import WeftServer
import WeftStore
import WeftSync

/// `weft bench propagation`: how long a new bundle takes to reach every node of a sparse federation.
struct BenchPropagationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propagation",
        abstract: "p50/p95 time for a new bundle to reach every node of a sparse federation on loopback.",
        discussion: """
            Starts --nodes sync servers with their pull loops in this process (each with its own store and a \
            certificate from the certs/ scripts), peers them in a ring plus random chords (mean degree \
            --degree), then publishes --bundles bundles at random nodes, one every --interval seconds, and \
            records when each one is held by every node. Run once with --notify on and once with off.
            """)

    @Option(help: "Nodes.") var nodes = 50
    @Option(help: "Mean number of peers per node (≥ 2: a ring plus chords).") var degree = 3
    @Option(help: "Bundles to publish.") var bundles = 20
    @Option(help: "Seconds between publications.") var interval = 1.0
    @Option(help: "Seconds between pull rounds per peer.") var poll = 10
    @Option(help: "Notify on or off.") var notify: OnOff = .on
    @Option(help: "Seed for the topology and the publishers.") var seed: UInt64 = 1
    @Option(help: "The certs/ directory.") var certs = "certs"
    @Option(help: "Give up after this many seconds.") var timeout = 600.0

    func run() async throws {
        try await runReporting {
            guard nodes >= 3, degree >= 2, bundles >= 1 else {
                throw CLIFailure("need --nodes ≥ 3, --degree ≥ 2, --bundles ≥ 1", status: ExitStatus.usage)
            }
            let factory = try BenchNodes(certs: certs)
            defer { factory.removeAll() }
            benchProgress("making \(nodes) nodes")
            let members = try (0..<nodes).map { try factory.make("n\($0)") }
            for member in members {
                for other in members where other.name != member.name {
                    _ = try member.store.addOrigin(name: other.name, publicKey: other.key.publicKey)
                }
            }
            var servers: [BenchNodes.Running] = []
            for member in members {
                servers.append(
                    try await factory.start(member) {
                        $0.pollIntervalSeconds = poll
                        $0.notify = notify == .on
                    })
            }
            var random = SeededRandom(seed: seed)
            let edges = SparseTopology.edges(nodes: nodes, degree: degree, random: &random)
            for (x, y) in edges {
                for (from, to) in [(x, y), (y, x)] {
                    _ = try members[from].store.addPeer(
                        NewPeer(
                            name: members[to].name, url: servers[to].url, spkiPin: members[to].tls.pin.hex,
                            originKey: nil))
                }
            }
            benchProgress(
                "\(edges.count) links; publishing \(bundles) bundles, notify \(notify.rawValue), poll \(poll) s")
            try await Task.sleep(for: .seconds(3))  // the pull loops pick up their peers

            var published: [(id: String, at: ContinuousClock.Instant)] = []
            var reached: [String: Duration] = [:]
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(timeout)
            var nextPublication = clock.now
            while (published.count < bundles || reached.count < published.count) && clock.now < deadline {
                if published.count < bundles && clock.now >= nextPublication {
                    let publisher = members[Int(random.next() % UInt64(nodes))]
                    try factory.publish(publisher, reports: 10, tag: "p\(published.count)")
                    let id = try publisher.store.head(origin: publisher.key.originID, channel: .federation)!.bundleID
                    published.append((id, clock.now))
                    nextPublication = clock.now + .milliseconds(Int64(interval * 1000))
                }
                for (id, at) in published where reached[id] == nil {
                    if try members.allSatisfy({ try $0.store.holdsBundle(id) }) {
                        reached[id] = at.duration(to: clock.now)
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            for server in servers { await server.group.triggerGracefulShutdown() }
            let times = reached.values.map { $0.inSeconds }
                .sorted()
            guard !times.isEmpty else { throw CLIFailure("no bundle reached every node within \(timeout) s") }
            func percentile(_ p: Double) -> Double {
                times[min(times.count - 1, Int((Double(times.count) * p).rounded(.up)) - 1)]
            }
            print(
                "\(nodes) nodes, \(edges.count) links (mean degree \(String(format: "%.1f", 2 * Double(edges.count) / Double(nodes)))), "
                    + "notify \(notify.rawValue), poll \(poll) s: \(times.count) of \(published.count) bundles reached every node"
            )
            print(
                renderTable(
                    ["P50 S", "P95 S", "MAX S"],
                    [
                        [
                            String(format: "%.2f", percentile(0.5)), String(format: "%.2f", percentile(0.95)),
                            String(format: "%.2f", times.last!),
                        ]
                    ]))
            if times.count < published.count { throw ExitCode(ExitStatus.failure) }
        }
    }
}
