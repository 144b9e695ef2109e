import ArgumentParser
import WeftStore

/// `weft status`: what the node holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show what the node holds: feeds, counts, origins.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Flag(
        help: "Also print checksums of the derived tables and feed heads (equal on converged nodes; scans every table)."
    )
    var checksums = false

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let status = try node.store().status(checksums: checksums)
            if output.json { return try printJSON(status) }
            print("node      \(node.config.name) (\(status.node))")
            print(
                "origins   "
                    + status.origins.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
            print(
                "bundles   \(status.bundles) (\(status.pendingBundles) held back, \(status.equivocations) equivocations)"
            )
            print("cases     \(status.cases)")
            print("reports   \(status.reports) (\(status.reportsRetracted) retracted)")
            print("indicators \(status.indicators)")
            for (table, checksum) in (status.checksums ?? [:]).sorted(by: { $0.key < $1.key }) {
                print("checksum  \(table) \(checksum)")
            }
            if !status.feeds.isEmpty {
                print("")
                print(
                    renderTable(
                        ["ORIGIN", "CHANNEL", "SEQ", "HEAD", "HELD"],
                        status.feeds.map {
                            [$0.originName, $0.channel, "\($0.seq)", String($0.bundleID.prefix(12)), "\($0.pending)"]
                        }))
            }
        }
    }
}
