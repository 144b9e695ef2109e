import ArgumentParser
import Foundation
import WeftCore
import WeftHashing
import WeftInterop
import WeftStore

/// `weft import …`: bring published material into the node as signed feeds.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import published takedown reports as a signed feed of their own.",
        subcommands: [ImportMetaCSVCommand.self]
    )
}

struct ImportMetaCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-csv",
        abstract: "Import Meta threat-research indicator CSVs: each file becomes a confirmed case of the origin NAME.",
        discussion: """
            The origin NAME is a key this node creates and keeps in its home (origins/NAME.key, mode 0600) and \
            trusts; its feed is signed and verifiable like any other, and can be shared. Quarters in file names \
            (Q2_2023) give first/last seen unless --first-seen/--last-seen are given. Rules: docs/interop.md.
            """
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Meta threat-research CSV files.") var files: [String]
    @Option(help: "The origin name the import publishes as.") var asOrigin: String
    @Option(help: "Federation key file: also emit keyed account/handle values and text MinHash.") var federationKeyFile:
        String?
    @Option(help: "First day seen (default: from the file name's quarter).") var firstSeen: String?
    @Option(help: "Last day seen (default: from the file name's quarter).") var lastSeen: String?
    @Option(help: "The Public Suffix List file.") var publicSuffixList = PublicSuffixList.debianPath
    @Flag(help: "Read and report, but publish nothing.") var dryRun = false

    struct FileResult: Encodable {
        var file: String
        var caseID: String
        var accounts: Int
        var reportsByKind: [String: Int]
        var skipped: [MetaThreatReport.Skipped]
        var bundles: [String]
    }

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let store = try node.store()
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            let federationKey = try federationKeyFile.map { try FederationKeyOption.load($0) }
            let key = dryRun ? nil : try importKey(node: node, store: store)
            var results: [FileResult] = []
            var failed = false
            for file in files {
                let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                do {
                    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                        throw CLIFailure("cannot read the file as UTF-8 text", status: ExitStatus.noHome)
                    }
                    try MetaThreatReport.checkHeader(csv: text)
                    let (first, last) = try days(for: name)
                    let caseID = try CaseID(
                        String(name.map { $0.isLetter || $0.isNumber || "._:-".contains($0) ? $0 : "-" }.prefix(128)))
                    let report = try MetaThreatReport(
                        csv: text, caseID: caseID, firstSeen: first, lastSeen: last, canonicalizer: canonicalizer,
                        federationKey: federationKey)
                    var bundles: [SignedBundle] = []
                    if let key {
                        bundles = try store.publish(
                            Publication(
                                channel: .federation, audience: .federation, cases: [report.caseRecord],
                                reports: report.reports), key: key)
                    }
                    results.append(
                        FileResult(
                            file: file, caseID: caseID.text, accounts: report.accounts,
                            reportsByKind: Dictionary(grouping: report.reports, by: { $0.indicator.kind.rawValue })
                                .mapValues(\.count),
                            skipped: report.skipped, bundles: bundles.map(\.id.hex)))
                } catch let error as MetaCSVError {
                    failed = true
                    printError("\(file): \(error.message)")
                } catch let error as RecordError {
                    failed = true
                    printError("\(file): \(error)")
                } catch let error as CLIFailure {
                    failed = true
                    printError("\(file): \(error.message)")
                }
            }
            if output.json {
                try printJSON(results)
            } else {
                for result in results {
                    let kinds = result.reportsByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
                        separator: ", ")
                    print("\(result.file): case \(result.caseID), \(result.accounts) accounts; \(kinds)")
                    print(
                        "  \(result.skipped.count) rows skipped (descriptions, repeats); "
                            + (dryRun
                                ? "dry run: nothing published"
                                : "published in \(result.bundles.count) bundle(s) as '\(asOrigin)'"))
                }
            }
            if failed { throw ExitCode(ExitStatus.dataError) }
        }
    }

    private func days(for name: String) throws -> (Day, Day) {
        if let firstSeen, let lastSeen {
            do { return (try Day(firstSeen), try Day(lastSeen)) } catch {
                throw CLIFailure(error.reason, status: ExitStatus.usage)
            }
        }
        guard let quarter = MetaThreatReport.quarter(fromFileName: name) else {
            throw CLIFailure(
                "no quarter (Q1_2023) in the file name; give --first-seen and --last-seen", status: ExitStatus.usage)
        }
        return quarter
    }

    /// The import origin's key: created and trusted on first use, read afterwards.
    private func importKey(node: NodeHome, store: NodeStore) throws -> OriginKey {
        let directory = (node.path as NSString).appendingPathComponent("origins")
        let path = (directory as NSString).appendingPathComponent("\(asOrigin).key")
        if FileManager.default.fileExists(atPath: path) {
            do { return try OriginKey.read(from: path) } catch {
                throw CLIFailure(error.description, status: ExitStatus.permission)
            }
        }
        if try store.origin(matching: asOrigin) != nil {
            throw CLIFailure(
                "an origin named '\(asOrigin)' exists but its key is not in \(directory)", status: ExitStatus.usage)
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = OriginKey()
        do { try key.write(to: path) } catch { throw CLIFailure(error.description) }
        do { _ = try store.addOrigin(name: asOrigin, publicKey: key.publicKey) } catch let error as OriginError {
            throw CLIFailure(error.reason, status: ExitStatus.usage)
        }
        return key
    }
}
