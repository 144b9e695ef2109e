import ArgumentParser
import Foundation
import WeftCore
import WeftHashing
import WeftIngest
import WeftStore

/// `weft ingest DIR`: the platform side of a node.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Hash a platform's raw export, turn its flagged cases into reports, and publish them.",
        discussion: """
            DIR is one platform's export folder (platform.json, accounts.jsonl, posts.jsonl, flagged.jsonl, media/), \
            as `weft simulate` writes them. Texts, links, hashtags and pictures are hashed locally; each flagged case \
            becomes a case record and reports carrying prevalence over all of the platform's posts. Raw text, raw \
            handles, e-mail addresses and pictures that only one account posted never leave the node. Details: \
            docs/scenario.md, section Ingest.
            """
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var key: FederationKeyOption

    @Argument(help: "The platform's export folder.")
    var directory: String

    @Option(help: "The Public Suffix List file.")
    var publicSuffixList = PublicSuffixList.debianPath

    @Flag(help: "Hash and build the reports, print the counts, publish nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let federationKey = try key.load()
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            let started = Date()
            let export: PlatformExport
            do { export = try PlatformExport(directory: directory) } catch {
                throw CLIFailure("\(error); nothing was published", status: ExitStatus.dataError)
            }
            if !json {
                printError(
                    "\(export.name): hashing \(export.posts.count) posts of \(export.accounts.count) accounts; "
                        + "\(Set(export.flags.map(\.caseID)).count) flagged cases")
            }
            let result: IngestResult
            do {
                result = try PlatformIngest(federationKey: federationKey, canonicalizer: canonicalizer).run(export)
            } catch {
                throw CLIFailure("\(error); nothing was published", status: ExitStatus.dataError)
            }
            var bundles: [SignedBundle] = []
            if !dryRun && !result.cases.isEmpty {
                let store = try node.store()
                do {
                    bundles = try store.publish(
                        Publication(
                            channel: .federation, audience: .federation, cases: result.cases, reports: result.reports),
                        key: try node.originKey())
                } catch let rejection as BundleRejection {
                    throw CLIFailure("\(rejection.message); nothing was published", status: ExitStatus.dataError)
                }
            }
            let seconds = Date().timeIntervalSince(started)
            if json {
                return try printJSON(IngestOutput(summary: result.summary, bundles: bundles.count, seconds: seconds))
            }
            let summary = result.summary
            print(
                "\(summary.platform): \(summary.cases) cases, \(summary.reports) reports (\(summary.schedules) schedule "
                    + "fingerprints) from \(summary.flaggedAccounts) flagged accounts; \(summary.withheldPictures) "
                    + "pictures withheld as possibly personal; \(summary.undecodableMedia) media files undecodable")
            print(
                dryRun
                    ? "dry run: nothing was published"
                    : "published \(bundles.count) bundle(s) in \(String(format: "%.1f", seconds)) s")
        }
    }
}

/// What `weft ingest --json` prints.
struct IngestOutput: Encodable {
    var summary: IngestSummary
    var bundles: Int
    var seconds: Double
}
