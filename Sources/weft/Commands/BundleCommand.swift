import ArgumentParser
import Foundation
import WeftCore
import WeftStore

/// `weft bundle export|verify|apply`: offline exchange of envelopes, as an air-gapped member would use.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Exchange bundles offline: export a feed as NDJSON envelopes, verify or apply such a file.",
        subcommands: [BundleExportCommand.self, BundleVerifyCommand.self, BundleApplyCommand.self]
    )
}

struct BundleExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a feed's envelopes after a sequence number to standard output, one per line, verbatim.",
        discussion: """
            Exports this node's own feed by default; --origin exports (relays) another origin's feed that this node \
            holds. A group channel's bundles go only to members of their audience: name the recipient with --to.
            """
    )

    @OptionGroup var home: HomeOptions

    @Option(help: "Export bundles with seq greater than this.")
    var after = 0

    @Option(help: "The feed's origin (name or id); default: this node.")
    var origin: String?

    @Option(help: "The feed's channel.")
    var channel = "federation"

    @Option(
        help: "The recipient (origin name or id); required for group channels, checked against each bundle's audience.")
    var to: String?

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let store = try node.store()
            let originID = try origin.map { try store.requireOrigin($0).id } ?? store.node
            let channel: Channel
            do { channel = try Channel(self.channel) } catch let error as RecordError {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
            let recipient = try to.map { try store.requireOrigin($0).id }
            if !channel.isFederation && recipient == nil {
                throw CLIFailure(
                    "channel '\(channel)' is a group channel: name the recipient with --to", status: ExitStatus.usage)
            }
            var exported = 0
            for envelope in try store.envelopes(origin: originID, channel: channel, after: after) {
                if let recipient {
                    let (header, _) = try ReceivedBundle(envelopeBytes: envelope, limits: store.limits).readHeader()
                    guard header.audience.includes(recipient, publisher: header.origin) else {
                        throw CLIFailure(
                            "seq \(header.seq) of \(channel) is not meant for \(recipient.short); export stopped before it",
                            status: ExitStatus.dataError)
                    }
                }
                FileHandle.standardOutput.write(Data(envelope + [UInt8(ascii: "\n")]))
                exported += 1
            }
            printError("exported \(exported) bundle(s) of \(originID.short)/\(channel) after seq \(after)")
        }
    }
}

struct BundleVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an NDJSON file of envelopes against this node's store without changing anything.",
        discussion:
            "Runs the real verification pipeline on every line in order, then rolls it all back. Exits 65 if any line would be rejected."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The NDJSON file, or - for standard input.")
    var file: String

    func run() throws {
        try runReporting {
            let store = try NodeHome.open(home).store()
            let lines = jsonLines(try readInput(file))
            let results = try store.dryRun(envelopes: lines.map(\.bytes))
            try report(zip(lines.map(\.line), results).map { ($0, $1) }, json: output.json, verb: "would be")
        }
    }
}

struct BundleApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Verify and apply an NDJSON file of envelopes, in order; each bundle lands whole or not at all.",
        discussion:
            "Rejected lines are reported with their reason and audited; the others still apply. Exits 65 if any line was rejected."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The NDJSON file, or - for standard input.")
    var file: String

    func run() async throws {
        try await runReporting {
            let store = try NodeHome.open(home).store()
            let lines = jsonLines(try readInput(file))
            var results: [(Int, Result<IntakeOutcome, BundleRejection>)] = []
            // Batches of 64 bundles per transaction: each bundle still lands whole or not at all.
            let batches = stride(from: 0, to: lines.count, by: 64).map { Array(lines[$0..<min(lines.count, $0 + 64)]) }
            let showProgress = !output.json && lines.count >= 100
            let outcomes = try await store.receive(
                pipelined: batches.map { $0.map(\.bytes) }, source: "file \(file)",
                progress: { done in if showProgress { printError("applied \(done)/\(lines.count)") } })
            for (batch, batchOutcomes) in zip(batches, outcomes) {
                results += zip(batch.map(\.line), batchOutcomes).map { ($0, $1) }
            }
            try report(results, json: output.json, verb: "")
        }
    }
}

/// One line's result, as `--json` prints it.
struct LineResult: Encodable {
    var line: Int
    var bundle: String?
    var outcome: String
    var reason: String?
    var message: String?
}

private func report(_ results: [(Int, Result<IntakeOutcome, BundleRejection>)], json: Bool, verb: String) throws {
    let rows: [LineResult] = results.map { line, result in
        switch result {
        case .success(.applied(let id, let seq, let drained)):
            LineResult(
                line: line, bundle: id.hex, outcome: "applied",
                message: "seq \(seq)" + (drained > 0 ? ", then \(drained) held bundle(s)" : ""))
        case .success(.duplicate(let id)):
            LineResult(line: line, bundle: id.hex, outcome: "duplicate", message: "already held; nothing changed")
        case .success(.heldBack(let id, let seq, let waiting)):
            LineResult(line: line, bundle: id.hex, outcome: "held", message: "seq \(seq) waits for seq \(waiting)")
        case .failure(let rejection):
            LineResult(
                line: line, bundle: rejection.bundleID?.hex, outcome: "rejected", reason: rejection.code.name,
                message: rejection.message)
        }
    }
    if json {
        try printJSON(rows)
    } else {
        for row in rows {
            let prefix = verb.isEmpty ? row.outcome : "\(verb) \(row.outcome)"
            let id = row.bundle.map { String($0.prefix(12)) } ?? "-"
            print(
                "line \(row.line): \(prefix) \(id)" + (row.reason.map { " (\($0))" } ?? "")
                    + (row.message.map { ": \($0)" } ?? ""))
        }
        let rejected = rows.filter { $0.outcome == "rejected" }.count
        print("\(rows.count) envelope(s): \(rows.count - rejected) ok, \(rejected) rejected")
    }
    if rows.contains(where: { $0.outcome == "rejected" }) { throw ExitCode(ExitStatus.dataError) }
}
