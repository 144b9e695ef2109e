import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WeftCore
import WeftServer
import WeftStore
import WeftSync

/// `weft bench sync`: two nodes on loopback over mutual TLS; A publishes N reports, B pulls until it holds all.
struct BenchSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Reports/s for a full pull over mutual TLS between two nodes on loopback, beside its parts.",
        discussion: """
            Publishes --reports reports (1,000 per bundle) at node A, serves them with weft's sync server, and \
            times node B's pull loop until it has verified and applied everything. In the same run, on the same \
            bundles: the transfer alone (the same client fetching every page without applying) and an offline \
            apply of the same envelopes from memory (no network): the two parts the pull overlaps. The offline \
            apply is then taken apart at a fresh node, one batch at a time: the batch's stateless steps (signature, \
            parsing, ids) on all cores, then its write, each side timed on its own. Beside each step's wall time: \
            the CPU time the whole process used meanwhile (every thread; up to twice the wall time on two cores). \
            Certificates come from the certs/ scripts (--certs). Use a release build.
            """)

    @Option(help: "Reports to publish at A.") var reports = 1_000_000
    @Option(help: "Bundles per request and per apply transaction.") var batchSize = 64
    @Option(help: "The certs/ directory with make-ca.sh and issue-node.sh.") var certs = "certs"
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await runReporting {
            let nodes = try BenchNodes(certs: certs)
            defer { nodes.removeAll() }
            let a = try nodes.make("a")
            let b = try nodes.make("b")
            _ = try b.store.addOrigin(name: "a", publicKey: a.key.publicKey)

            benchProgress("publishing \(reports) reports at A")
            let publishClock = StepClock()
            try nodes.publish(a, reports: reports, tag: "bench")
            let publishTime = publishClock.read()
            let head = try a.store.head(origin: a.key.originID, channel: .federation)?.seq ?? 0

            let server = try await nodes.start(a) {
                $0.pollIntervalSeconds = 86_400
                $0.notify = false
            }
            defer { server.task.cancel() }
            _ = try a.store.addPeer(
                NewPeer(name: "b", url: "https://127.0.0.1:1", spkiPin: b.tls.pin.hex, originKey: nil))
            let peerA = try b.store.addPeer(NewPeer(name: "a", url: server.url, spkiPin: a.tls.pin.hex, originKey: nil))

            benchProgress("transfer only: fetching every page without applying")
            let fetchClock = StepClock()
            try await SyncConnection.with(server.url, identity: b.tls, pin: a.tls.pin.hex) { connection in
                var after = 0
                while after < head {
                    let page = SyncWire.decodeFeed(
                        try await connection.getOK(
                            SyncWire.feedPath(
                                origin: a.key.originID, channel: .federation, after: after, limit: batchSize)))
                    if page.isEmpty { break }
                    after += page.count
                }
            }
            let fetchTime = fetchClock.read()

            benchProgress("pull: B verifies and applies everything over mutual TLS")
            let puller = PeerPuller(
                store: b.store, identity: b.tls, metrics: SyncMetrics(), logger: nodes.quiet, batchSize: batchSize)
            let pullClock = StepClock()
            let report = try await puller.pull(from: peerA)
            let pullTime = pullClock.read()
            await server.group.triggerGracefulShutdown()
            let heldAtB = try b.store.head(origin: a.key.originID, channel: .federation)?.seq ?? 0
            guard heldAtB == head, report.rejected == 0 else {
                throw CLIFailure("B holds seq \(heldAtB) of \(head) (\(report.rejected) rejected)")
            }

            benchProgress("offline apply of the same envelopes at a fresh node C (no network)")
            let c = try nodes.make("c")
            _ = try c.store.addOrigin(name: "a", publicKey: a.key.publicKey)
            let envelopes = try a.store.envelopes(origin: a.key.originID, channel: .federation, after: 0)
            let batches = stride(from: 0, to: envelopes.count, by: batchSize).map {
                Array(envelopes[$0..<min($0 + batchSize, envelopes.count)])
            }
            let applyClock = StepClock()
            _ = try await c.store.receive(pipelined: batches)
            let applyTime = applyClock.read()

            benchProgress("the apply's two sides apart, at a fresh node D: stateless steps, then the writer")
            let d = try nodes.make("d")
            _ = try d.store.addOrigin(name: "a", publicKey: a.key.publicKey)
            // One batch at a time, each side timed on its own: holding every prepared batch at once would measure
            // a memory footprint the pipeline never has.
            var prepareTime = StepTime()
            var writeTime = StepTime()
            for batch in batches {
                let prepareClock = StepClock()
                let prepared = try d.store.prepare(batch)
                prepareTime += prepareClock.read()
                let writeClock = StepClock()
                _ = try d.store.receive(prepared: prepared)
                writeTime += writeClock.read()
            }

            let rows: [(String, StepTime)] = [
                ("pull over mTLS (verify + apply)", pullTime),
                ("transfer only (same client, no apply)", fetchTime),
                ("offline apply (same envelopes, no network)", applyTime),
                ("  stateless steps alone (verify, parse; all cores)", prepareTime),
                ("  writer alone (SQLite transaction per batch)", writeTime),
                ("publish at A (setup)", publishTime),
            ]
            func rounded(_ seconds: Double) -> JSONValue { .number((seconds * 1000).rounded() / 1000) }
            if json {
                // Wall seconds under each step's name (as before), CPU seconds under "cpu_seconds".
                let object: JSONValue = .object(
                    Dictionary(uniqueKeysWithValues: rows.map { ($0.0, rounded($0.1.wall)) })
                        .merging([
                            "reports": .integer(reports), "bundles": .integer(head),
                            "pull_writer_busy_seconds": rounded(report.writeSeconds),
                            "cpu_seconds": .object(
                                Dictionary(uniqueKeysWithValues: rows.map { ($0.0, rounded($0.1.cpu)) })),
                        ]) { $1 })
                return print(try CanonicalJSON.string(object))
            }
            print("\(reports) reports in \(head) bundles, batches of \(batchSize)")
            print(
                renderTable(
                    ["STEP", "SECONDS", "CPU SECONDS", "REPORTS/S"],
                    rows.map {
                        [
                            $0.0, String(format: "%.2f", $0.1.wall), String(format: "%.2f", $0.1.cpu),
                            String(format: "%.0f", Double(reports) / $0.1.wall),
                        ]
                    }))
            print(
                String(
                    format:
                        "the pull's writer was busy %.2f s of its %.2f s (%.0f%%): near 100%%, the writer is the limit",
                    report.writeSeconds, pullTime.wall, 100 * report.writeSeconds / pullTime.wall))
        }
    }
}

/// Wall-clock and process CPU seconds of one benchmark step.
struct StepTime {
    var wall = 0.0
    var cpu = 0.0

    static func += (total: inout StepTime, step: StepTime) {
        total.wall += step.wall
        total.cpu += step.cpu
    }
}

/// Starts timing a step when made; ``read()`` gives the wall and CPU time since.
struct StepClock {
    private let wallStart = Date()
    private let cpuStart = StepClock.processCPUSeconds()

    func read() -> StepTime {
        StepTime(wall: Date().timeIntervalSince(wallStart), cpu: Self.processCPUSeconds() - cpuStart)
    }

    /// CPU time used so far by every thread of this process.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
