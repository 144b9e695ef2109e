import ArgumentParser
import Foundation
import Logging
import WeftServer
import WeftStore
import WeftSync

/// `weft sync --once`: one pull round with every active peer (or one), for cron-style use and for scripts.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull from peers once, without running a server.",
        discussion: """
            Runs one round with each active peer, all at once: fetch its heads, pull every feed where it is \
            ahead, verify and apply in batches (each batch and the feed's cursor in one transaction). Exit 0 when \
            every peer was reached, 1 when any was not, 65 when a peer sent bundles that were rejected (they \
            are audited). A round interrupted at any point resumes where it stopped.
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "One round, then exit (required: the continuous loop is `weft serve`).") var once = false
    @Option(help: "Only this peer.") var peer: String?

    func run() async throws {
        try await runReporting {
            guard once else {
                throw CLIFailure("use --once (the continuous loop runs in weft serve)", status: ExitStatus.usage)
            }
            let node = try NodeHome.open(home)
            let server = try node.serverConfiguration()
            let identity = try node.tlsIdentity(server)
            let store = try node.store()
            var peers = try store.peers().filter { $0.status == .active }
            if let peer {
                peers = peers.filter { $0.name == peer }
                guard !peers.isEmpty else {
                    throw CLIFailure("no active peer named '\(peer)'", status: ExitStatus.usage)
                }
            }
            var puller = PeerPuller(
                store: store, identity: identity, metrics: SyncMetrics(), logger: Logger(label: "weft.sync"),
                batchSize: server.batchSize, requestTimeout: .seconds(server.requestTimeoutSeconds))
            if !output.json {
                puller.progress = { peer, applied, remaining in
                    printError("\(peer): \(applied) bundles applied, \(remaining) to go in this feed")
                }
            }
            let configured = puller
            let outcomes = await withTaskGroup(of: (String, Result<PullReport, any Error>).self) { group in
                for peer in peers {
                    group.addTask {
                        do { return (peer.name, .success(try await configured.pull(from: peer))) } catch {
                            return (peer.name, .failure(error))
                        }
                    }
                }
                var all: [(String, Result<PullReport, any Error>)] = []
                for await outcome in group { all.append(outcome) }
                return all.sorted { $0.0 < $1.0 }
            }
            var rows: [SyncRow] = []
            for (name, outcome) in outcomes {
                switch outcome {
                case .success(let report): rows.append(SyncRow(report))
                case .failure(let error): rows.append(SyncRow(peer: name, error: "\(error)"))
                }
            }
            if output.json {
                try printJSON(rows)
            } else {
                print(
                    renderTable(
                        ["PEER", "FEEDS", "BEHIND", "APPLIED", "DUPLICATE", "HELD", "REJECTED", "ERROR"],
                        rows.map {
                            [
                                $0.peer, String($0.feedsOffered), String($0.feedsBehind), String($0.applied),
                                String($0.duplicates), String($0.held), String($0.rejected),
                                $0.error ?? ($0.rejections.first ?? ""),
                            ]
                        }))
            }
            if rows.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.failure) }
            if rows.contains(where: { $0.rejected > 0 }) { throw ExitCode(ExitStatus.dataError) }
        }
    }
}

/// One peer's line of `weft sync --once`.
struct SyncRow: Encodable {
    var peer: String
    var feedsOffered = 0
    var feedsBehind = 0
    var applied = 0
    var duplicates = 0
    var held = 0
    var rejected = 0
    var skippedFeeds: [String] = []
    var rejections: [String] = []
    var error: String?

    init(_ report: PullReport) {
        peer = report.peer
        feedsOffered = report.feedsOffered
        feedsBehind = report.feedsBehind
        applied = report.applied
        duplicates = report.duplicates
        held = report.held
        rejected = report.rejected
        skippedFeeds = report.skippedFeeds
        rejections = report.rejections
    }

    init(peer: String, error: String) {
        self.peer = peer
        self.error = error
    }
}
