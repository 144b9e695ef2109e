import ArgumentParser

/// `weft`: run and query a Weft node.
@main
struct Weft: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weft",
        abstract: "A peer-to-peer indicator-sharing node for exposing cross-platform influence operations.",
        discussion: """
            A node hashes its platform's signals into indicators, signs them into bundles, exchanges bundles with \
            other members, and merges what everyone sent. The node home is chosen with --home, else $WEFT_HOME, \
            else ~/.weft. Exit codes: 0 ok, 1 failure, 64 usage, 65 refused data, 66 no node home, 73 home exists, \
            77 key file too open (docs/cli.md).
            """,
        subcommands: [
            InitCommand.self, StatusCommand.self, PublishCommand.self, BundleCommand.self, VerifyCommand.self,
            IndicatorCommand.self, IdentityCommand.self, OriginCommand.self, HashCommand.self, BenchCommand.self,
            FederationKeyCommand.self, ImportCommand.self, ConfigCommand.self, ServeCommand.self, SyncCommand.self,
            PeerCommand.self, PeersCommand.self, AuditCommand.self, SimulateCommand.self, IngestCommand.self,
            ScoreCommand.self, OpsCommand.self, SearchCommand.self, DemoCommand.self, AnalystCommand.self,
            MatchCommand.self,
        ]
    )
}
