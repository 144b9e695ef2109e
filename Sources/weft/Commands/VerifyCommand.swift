import ArgumentParser
import WeftStore

/// `weft verify`: re-verify every stored bundle and rebuild the derived tables from them.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-verify every stored bundle and rebuild indicators, reports and cases from bundles alone.",
        discussion: "Exits 65 if any bundle fails or the rebuild differs from the incremental state."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runReporting {
            let store = try NodeHome.open(home).store()
            let quiet = output.json
            let report = try store.verifyAndRebuild { done, total in
                if !quiet, total >= 20, done % max(1, total / 10) == 0 { printError("verified \(done)/\(total) feeds") }
            }
            if output.json {
                try printJSON(report)
            } else {
                print(
                    "\(report.bundlesChecked) bundles in \(report.feedsChecked) feeds re-verified; \(report.failures.count) failed"
                )
                for failure in report.failures {
                    print("  \(failure.bundleID.prefix(12)) \(failure.reason): \(failure.message)")
                }
                print(
                    "rebuild from bundles "
                        + (report.rebuildMatches
                            ? "equals the incremental state" : "DIFFERS from the incremental state"))
                for table in report.incremental.keys.sorted() where report.incremental[table] != report.rebuilt[table] {
                    print("  table \(table) differs")
                }
            }
            if !report.isClean { throw ExitCode(ExitStatus.dataError) }
        }
    }
}
