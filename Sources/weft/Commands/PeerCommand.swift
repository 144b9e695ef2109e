import ArgumentParser
import Foundation
import WeftCore
import WeftServer
import WeftStore

/// `weft peer add|list|show|suspend|resume|revoke|policy`: the trust table. Every change is audited.
struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Manage the peers this node syncs with (trust table). Every change is audited.",
        discussion: """
            A peer is bound by name, sync URL, TLS SPKI pin and (optionally) origin key. Changes take effect on a \
            running `weft serve` without a restart: the server checks the table on every request, the pull loop \
            on every round.
            """,
        subcommands: [
            PeerAddCommand.self, PeerListCommand.self, PeerShowCommand.self, PeerSuspendCommand.self,
            PeerResumeCommand.self, PeerRevokeCommand.self, PeerRebindCommand.self, PeerPolicyCommand.self,
        ])
}

struct PeerAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a peer from its card (weft identity export) or from flags.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "A card file written by `weft identity export` on the peer.") var card: String?
    @Option(help: "The peer's name here (default: the card's name).") var name: String?
    @Option(help: "The peer's sync URL, https://host:port (overrides the card's).") var url: String?
    @Option(help: "The SHA-256 SPKI pin of the peer's TLS certificate (certs/spki-pin.sh).") var pin: String?
    @Option(help: "The peer's origin public key, base64 (instead of a card).") var originKey: String?
    @Option(help: "Channels it may read: * or a comma list.") var channels: String = "*"
    @Option(help: "Serve it other origins' feeds: on or off.") var relay: OnOff = .on
    @Option(help: "Trust weight 0–1 for scoring its evidence.") var trust: Double = 1

    func run() throws {
        try runReporting {
            var parsedCard: PeerCard?
            if let card {
                do { parsedCard = try PeerCard(json: try JSONParser.parse(try readInput(card))) } catch {
                    throw CLIFailure("\(card): \(error)", status: ExitStatus.dataError)
                }
            }
            var key = parsedCard?.publicKey
            if let originKey {
                do { key = try OriginPublicKey(base64: originKey) } catch {
                    throw CLIFailure("--origin-key: \(error)", status: ExitStatus.usage)
                }
            }
            guard let name = name ?? parsedCard?.name else {
                throw CLIFailure("--name is required", status: ExitStatus.usage)
            }
            guard let url = url ?? parsedCard?.url else {
                throw CLIFailure("--url is required (the card has none)", status: ExitStatus.usage)
            }
            guard let pin = pin ?? parsedCard?.spkiPin else {
                throw CLIFailure("--pin is required (the card has none)", status: ExitStatus.usage)
            }
            let policy = PeerPolicy(
                channels: try PeerPolicy.Channels(parsing: channels), relay: relay == .on, trust: trust)
            let store = try NodeHome.open(home).store()
            let record: PeerRecord
            do {
                record = try store.addPeer(NewPeer(name: name, url: url, spkiPin: pin, originKey: key, policy: policy))
            } catch let error as PeerError {
                throw CLIFailure(error.reason, status: ExitStatus.dataError)
            }
            if output.json { return try printJSON(PeerSummary(record)) }
            print("added peer '\(record.name)' at \(record.url)" + (record.origin.map { ", origin \($0.short)" } ?? ""))
        }
    }
}

struct PeerListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List peers and their status.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let peers = try NodeHome.open(home).store().peers()
            if output.json { return try printJSON(peers.map(PeerSummary.init)) }
            print(
                renderTable(
                    ["NAME", "URL", "STATUS", "CHANNELS", "RELAY", "TRUST", "PIN"],
                    peers.map {
                        [
                            $0.name, $0.url, $0.status.rawValue, $0.policy.channels.description,
                            $0.policy.relay ? "on" : "off", String($0.policy.trust), String($0.spkiPin.prefix(16)),
                        ]
                    }))
        }
    }
}

struct PeerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one peer: binding, policy, last contact and its feeds' cursors.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The peer's name.") var name: String

    func run() throws {
        try runReporting {
            let store = try NodeHome.open(home).store()
            guard let peer = try store.peer(named: name) else {
                throw CLIFailure("no peer named '\(name)'", status: ExitStatus.usage)
            }
            var row = PeerSummary(peer)
            row.feeds = try store.feedLags().filter { $0.peer == name }
            if output.json { return try printJSON(row) }
            for (label, value) in [
                ("name", row.name), ("url", row.url), ("status", row.status), ("reason", row.statusReason ?? ""),
                ("spki pin", row.spkiPin), ("origin", row.origin ?? "none"), ("channels", row.channels),
                ("relay", row.relay ? "on" : "off"), ("trust", String(row.trust)), ("added", row.addedAt),
                ("last contact", row.lastContact ?? "never"),
                ("last error", row.lastError.map { "\($0) (\(row.lastErrorAt ?? ""))" } ?? "none"),
            ] {
                print("\(label.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value)")
            }
            if let feeds = row.feeds, !feeds.isEmpty {
                print(
                    renderTable(
                        ["ORIGIN", "CHANNEL", "OURS", "PEER", "LAG", "UPDATED"],
                        feeds.map {
                            [
                                String($0.origin.prefix(12)), $0.channel, String($0.seq), String($0.peerSeq),
                                String($0.lag), $0.updatedAt,
                            ]
                        }))
            }
        }
    }
}

/// Shared body of suspend, resume and revoke.
private func changePeerStatus(
    _ home: HomeOptions, _ name: String, _ status: PeerRecord.Status, reason: String, quarantine: Bool = false
) throws {
    let store = try NodeHome.open(home).store()
    do { try store.setPeerStatus(name, to: status, reason: reason, quarantineOrigin: quarantine) } catch let error
        as PeerError
    {
        throw CLIFailure(error.reason, status: ExitStatus.usage)
    }
    print("peer '\(name)' is now \(status.rawValue)")
}

struct PeerSuspendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Refuse a peer's requests and stop pulling from it, until resumed.")
    @OptionGroup var home: HomeOptions
    @Argument(help: "The peer's name.") var name: String
    @Option(help: "Why (audit log).") var reason: String = "suspended by an administrator"

    func run() throws { try runReporting { try changePeerStatus(home, name, .suspended, reason: reason) } }
}

struct PeerResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Make a suspended peer active again.")
    @OptionGroup var home: HomeOptions
    @Argument(help: "The peer's name.") var name: String
    @Option(help: "Why (audit log).") var reason: String = "resumed by an administrator"

    func run() throws { try runReporting { try changePeerStatus(home, name, .active, reason: reason) } }
}

struct PeerRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Refuse a peer for good; its origin's new bundles are refused, whoever relays them.",
        discussion:
            "With --quarantine its origin is quarantined instead of revoked: its past reports also leave the merged view (the bytes are kept for audit)."
    )
    @OptionGroup var home: HomeOptions
    @Argument(help: "The peer's name.") var name: String
    @Option(help: "Why (audit log).") var reason: String
    @Flag(help: "Also take its origin's past reports out of the merged view.") var quarantine = false

    func run() throws {
        try runReporting { try changePeerStatus(home, name, .revoked, reason: reason, quarantine: quarantine) }
    }
}

struct PeerRebindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebind",
        abstract: "Point a peer at its new TLS key (SPKI pin) and optionally a new URL, after it rotated its key.",
        discussion: """
            Not needed when the peer renewed its certificate for the same key (certs/issue-node.sh --renew): the pin \
            stays the same. Takes effect on live connections at once. Audited with the old and new values.
            """)
    @OptionGroup var home: HomeOptions
    @Argument(help: "The peer's name.") var name: String
    @Option(help: "The SPKI pin of the peer's new certificate (certs/spki-pin.sh, or its new card).") var pin: String
    @Option(help: "Its new sync URL, https://host:port.") var url: String?

    func run() throws {
        try runReporting {
            do { try NodeHome.open(home).store().rebindPeer(name, spkiPin: pin, url: url) } catch let error
                as PeerError
            {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
            print("peer '\(name)' now has pin \(pin.lowercased())\(url.map { " and URL \($0)" } ?? "")")
        }
    }
}

struct PeerPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show or change a peer's policy: channels it may read, relay, trust weight.")
    @OptionGroup var home: HomeOptions
    @Argument(help: "The peer's name.") var name: String
    @Option(help: "Channels it may read: * or a comma list.") var channels: String?
    @Option(help: "Serve it other origins' feeds: on or off.") var relay: OnOff?
    @Option(help: "Trust weight 0–1.") var trust: Double?

    func run() throws {
        try runReporting {
            let store = try NodeHome.open(home).store()
            guard let peer = try store.peer(named: name) else {
                throw CLIFailure("no peer named '\(name)'", status: ExitStatus.usage)
            }
            var policy = peer.policy
            if let channels { policy.channels = try PeerPolicy.Channels(parsing: channels) }
            if let relay { policy.relay = relay == .on }
            if let trust { policy.trust = trust }
            if channels != nil || relay != nil || trust != nil {
                do { try store.setPeerPolicy(name, policy) } catch let error as PeerError {
                    throw CLIFailure(error.reason, status: ExitStatus.usage)
                }
            }
            print("channels \(policy.channels), relay \(policy.relay ? "on" : "off"), trust \(policy.trust)")
        }
    }
}

extension PeerPolicy.Channels {
    /// Parses `*` or a comma list of channel names, refusing bad names.
    init(parsing text: String) throws {
        if text == "*" {
            self = .all
            return
        }
        var channels: Set<Channel> = []
        for name in text.split(separator: ",") {
            do { channels.insert(try Channel(String(name))) } catch {
                throw CLIFailure("--channels: \(error.reason)", status: ExitStatus.usage)
            }
        }
        guard !channels.isEmpty else {
            throw CLIFailure("--channels: give * or channel names", status: ExitStatus.usage)
        }
        self = .only(channels)
    }
}

/// A peer as printed by --json.

/// `weft peers status`: the federation from this node's side.
struct PeersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers", abstract: "Sync state of all peers.", subcommands: [PeersStatusCommand.self])
}

struct PeersStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Per peer: status, last contact, last error, and lag per feed.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let store = try NodeHome.open(home).store()
            let rows = try PeerSummary.all(in: store)
            if output.json { return try printJSON(rows) }
            print(
                renderTable(
                    ["PEER", "STATUS", "LAST CONTACT", "FEEDS", "LAG", "LAST ERROR"],
                    rows.map { row in
                        let feeds = row.feeds ?? []
                        return [
                            row.name, row.status, row.lastContact ?? "never", String(feeds.count),
                            String(feeds.reduce(0) { $0 + $1.lag }),
                            row.currentError.map { String($0.prefix(60)) } ?? "",
                        ]
                    }))
        }
    }
}
