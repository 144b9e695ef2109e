import ArgumentParser
import WeftStore

/// `weft audit`: the audit log (bundles accepted, held or rejected; trust changes; refused sync callers).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the most recent audit log entries, oldest first.")

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "How many of the most recent entries.") var limit = 50
    @Option(help: "Only entries with this outcome (accepted, rejected, held, changed, refused).") var outcome: String?

    func run() throws {
        try runReporting {
            var entries = try NodeHome.open(home).store().auditLog(limit: limit)
            if let outcome { entries = entries.filter { $0.outcome == outcome } }
            if output.json { return try printJSON(entries) }
            print(
                renderTable(
                    ["AT", "ACTION", "SUBJECT", "OUTCOME", "REASON", "DETAIL"],
                    entries.map {
                        [$0.at, $0.action, String($0.subject.prefix(16)), $0.outcome, $0.reason ?? "", $0.detail ?? ""]
                    }))
        }
    }
}
