import ArgumentParser
import WeftCore
import WeftStore

/// `weft publish FILE.jsonl`: sign cases, reports and retractions into the node's own feed.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Validate a JSONL file of cases, reports and retractions and sign it into this node's feed.",
        discussion: """
            Every line is validated first; if any line is bad, its line number and reason are printed and nothing \
            from the file is published (exit 65). Use - to read standard input. Record fields: docs/cli.md.
            """
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The JSONL file, or - for standard input.")
    var file: String

    @Option(help: "The channel (feed) to publish in.")
    var channel = "federation"

    @Option(help: "TLP marking: clear or green for the federation channel; amber or amber+strict for a group channel.")
    var tlp: String?

    @Option(
        name: .customLong("member"),
        help: "A member of a group channel's audience (origin name or id); repeat for each.")
    var members: [String] = []

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let key = try node.originKey()
            let store = try node.store()
            let channel: Channel
            do { channel = try Channel(self.channel) } catch let error as RecordError {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
            let audience = try resolveAudience(channel: channel, store: store)
            let input: PublicationInput
            let bytes = try readInput(file)
            do { input = try PublicationInput(jsonl: bytes) } catch {
                throw CLIFailure("\(file): \(error); nothing was published", status: ExitStatus.dataError)
            }
            if input.cases.isEmpty && input.reports.isEmpty && input.retractions.isEmpty {
                throw CLIFailure("\(file) holds no records; nothing was published", status: ExitStatus.dataError)
            }
            let bundles: [SignedBundle]
            do {
                bundles = try store.publish(
                    Publication(
                        channel: channel, audience: audience, cases: input.cases,
                        reports: input.reports, retractions: input.retractions), key: key)
            } catch let rejection as BundleRejection {
                throw CLIFailure("\(file): \(rejection.message); nothing was published", status: ExitStatus.dataError)
            }
            if output.json {
                return try printJSON(
                    PublishResult(
                        channel: channel.name, cases: input.cases.count, reports: input.reports.count,
                        retractions: input.retractions.count,
                        bundles: bundles.map {
                            .init(id: $0.id.hex, seq: $0.payload.header.seq, reports: $0.payload.reports.count)
                        }))
            }
            print(
                "published \(input.cases.count) cases, \(input.reports.count) reports, \(input.retractions.count) retractions "
                    + "in \(bundles.count) bundle(s) on \(channel)")
            for bundle in bundles { print("  seq \(bundle.payload.header.seq)  \(bundle.id.hex)") }
        }
    }

    private func resolveAudience(channel: Channel, store: NodeStore) throws -> Audience {
        let marking = tlp ?? (channel.isFederation ? "green" : "amber")
        guard let tlp = Audience.TLP(rawValue: marking) else {
            throw CLIFailure(
                marking == "red"
                    ? "TLP:RED never leaves the node and cannot be published"
                    : "'\(marking)' is not clear, green, amber or amber+strict", status: ExitStatus.usage)
        }
        var ids: [OriginID] = []
        for member in members {
            ids.append(try store.requireOrigin(member).id)
        }
        do { return try Audience(tlp: tlp, members: ids, channel: channel) } catch {
            throw CLIFailure(error.reason, status: ExitStatus.usage)
        }
    }
}

/// What `weft publish --json` prints.
struct PublishResult: Encodable {
    struct Bundle: Encodable {
        var id: String
        var seq: Int
        var reports: Int
    }

    var channel: String
    var cases: Int
    var reports: Int
    var retractions: Int
    var bundles: [Bundle]
}
