import ArgumentParser
import WeftCore
import WeftStore

/// `weft origin add|list|revoke|quarantine|activate`: which signing keys this node accepts bundles from.
struct OriginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "origin",
        abstract: "Manage the origins (signing keys) this node accepts bundles from. Every change is audited.",
        subcommands: [OriginAddCommand.self, OriginListCommand.self, OriginStatusCommand.self]
    )
}

struct OriginAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Trust a new origin, from its card (weft identity export) or from flags."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "A card file written by `weft identity export`.")
    var card: String?

    @Option(help: "The origin's name here (default: the card's name).")
    var name: String?

    @Option(help: "The origin's Ed25519 public key, standard base64 (instead of --card).")
    var publicKey: String?

    func run() throws {
        try runReporting {
            let key: OriginPublicKey
            var cardName: String?
            switch (card, publicKey) {
            case (let path?, nil):
                do {
                    let parsed = try PeerCard(json: try JSONParser.parse(try readInput(path)))
                    key = parsed.publicKey
                    cardName = parsed.name
                } catch let error as RecordError {
                    throw CLIFailure("\(path): \(error)", status: ExitStatus.dataError)
                } catch let error as JSONError {
                    throw CLIFailure("\(path): not JSON: \(error)", status: ExitStatus.dataError)
                }
            case (nil, let text?):
                do { key = try OriginPublicKey(base64: text) } catch let error as RecordError {
                    throw CLIFailure(error.reason, status: ExitStatus.usage)
                }
            default:
                throw CLIFailure("give exactly one of --card or --public-key", status: ExitStatus.usage)
            }
            guard let name = name ?? cardName else {
                throw CLIFailure("--name is required with --public-key", status: ExitStatus.usage)
            }
            let store = try NodeHome.open(home).store()
            let record: OriginRecord
            do { record = try store.addOrigin(name: name, publicKey: key) } catch let error as OriginError {
                throw CLIFailure(error.reason, status: ExitStatus.dataError)
            }
            if output.json { return try printJSON(OriginRow(record)) }
            print("added origin '\(record.name)' \(record.id.hex)")
        }
    }
}

struct OriginListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List known origins and their trust status.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let origins = try NodeHome.open(home).store().origins()
            if output.json { return try printJSON(origins.map(OriginRow.init)) }
            print(
                renderTable(
                    ["NAME", "ORIGIN", "STATUS", "ADDED", "REASON"],
                    origins.map {
                        [
                            $0.name + ($0.isSelf ? " (self)" : ""), $0.id.short, $0.status.rawValue, $0.addedAt,
                            $0.statusReason ?? "",
                        ]
                    }))
        }
    }
}

struct OriginStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-status",
        abstract: "Revoke, quarantine or re-activate an origin.",
        discussion:
            "Revoked and quarantined origins' new bundles are refused and their reports leave the merged view; their bundles are kept for audit."
    )

    @OptionGroup var home: HomeOptions

    @Argument(help: "The origin's name or id.")
    var origin: String

    @Argument(help: "active, quarantined or revoked.")
    var status: String

    @Option(help: "Why (recorded in the audit log).")
    var reason: String

    func run() throws {
        try runReporting {
            guard let newStatus = OriginRecord.Status(rawValue: status) else {
                throw CLIFailure("'\(status)' is not active, quarantined or revoked", status: ExitStatus.usage)
            }
            let store = try NodeHome.open(home).store()
            let record = try store.requireOrigin(origin)
            guard !record.isSelf else {
                throw CLIFailure("a node cannot change its own origin's status", status: ExitStatus.usage)
            }
            try store.setOriginStatus(record.id, to: newStatus, reason: reason)
            print("origin '\(record.name)' is now \(newStatus.rawValue)")
        }
    }
}

/// An origin as `--json` prints it.
struct OriginRow: Encodable {
    var name: String
    var origin: String
    var publicKey: String
    var status: String
    var statusReason: String?
    var isSelf: Bool
    var addedAt: String

    init(_ record: OriginRecord) {
        name = record.name
        origin = record.id.hex
        publicKey = record.publicKey.base64
        status = record.status.rawValue
        statusReason = record.statusReason
        isSelf = record.isSelf
        addedAt = record.addedAt
    }
}
