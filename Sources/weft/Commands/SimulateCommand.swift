import ArgumentParser
import Foundation
import WeftInterop
import WeftScenario

/// `weft simulate`: writes a seeded scenario with ground truth.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a seeded scenario: one raw-data folder per platform, and truth.json for the scorer.",
        discussion: """
            Each platform folder holds accounts.jsonl, posts.jsonl (UTC timestamps, text, links), media/ (PNG and \
            JPEG files) and flagged.jsonl (the accounts that platform's own team flagged, in cases). truth.json says \
            which accounts belong to which operation; only `weft score` reads it. The same tier, options and seed \
            always give byte-identical output. Every parameter and its default: docs/scenario.md.
            """
    )

    @Option(help: "Size: tiny (6 platforms, under a second), ci (20 platforms), stress (64 platforms).")
    var tier: ScenarioParameters.Tier = .ci

    @Option(help: "Override the tier's number of platforms.")
    var platforms: Int?

    @Option(name: .customLong("ops"), help: "Override the tier's number of influence operations.")
    var operations: Int?

    @Option(help: "The seed.")
    var seed: UInt64

    @Option(help: "The folder to write; it must not exist or be empty.")
    var out: String

    @Option(
        help: ArgumentHelp(
            "A Meta threat-research CSV whose posted headlines (kill-chain 6.1.3) seed the operations' headline pools.",
            valueName: "csv"))
    var headlines: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        try runReporting {
            var parameters = ScenarioParameters(tier: tier, seed: seed)
            if let platforms { parameters.platforms = platforms }
            if let operations { parameters.operations = operations }
            let published = try headlines.map(Self.readHeadlines) ?? []
            let generator: ScenarioGenerator
            do { generator = try ScenarioGenerator(parameters: parameters, publishedHeadlines: published) } catch {
                throw CLIFailure("\(error)", status: ExitStatus.usage)
            }
            let started = Date()
            if !json {
                printError(
                    "simulating \(parameters.platforms) platforms, \(parameters.operations) operations (tier \(tier.rawValue), seed \(seed))"
                )
            }
            let quiet = json
            let summary: ScenarioSummary
            do {
                summary = try generator.write(to: out) { line in if !quiet { printError(line) } }
            } catch let error as ScenarioError {
                throw CLIFailure(error.description, status: ExitStatus.usage)
            }
            if json { return try printJSON(summary) }
            let seconds = Date().timeIntervalSince(started)
            print(
                renderTable(
                    ["PLATFORM", "ACCOUNTS", "POSTS", "MEDIA", "FLAGGED", "CASES"],
                    summary.platforms.map {
                        [
                            $0.name, "\($0.accounts)", "\($0.posts)", "\($0.mediaFiles)", "\($0.flaggedAccounts)",
                            "\($0.cases)",
                        ]
                    }))
            print(
                "wrote \(summary.platforms.count) platforms and \(summary.operations) operations (widest spans "
                    + "\(summary.widestOperation) platforms) to \(out) in \(String(format: "%.1f", seconds)) s")
        }
    }

    /// Headlines posted by an operation in a Meta threat-research CSV: rows whose procedure is 6.1.3; a Note
    /// beside a Chinese headline is its English translation.
    static func readHeadlines(_ path: String) throws -> [Headline] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure("cannot read \(path)", status: ExitStatus.noHome)
        }
        var headlines: [Headline] = []
        var seen: Set<String> = []
        for (_, fields) in CSVReader(String(decoding: data, as: UTF8.self))
        where fields.count >= 4 && fields[2].hasPrefix("6.1.3") {
            let text = fields[3].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, seen.insert(text).inserted else { continue }
            let chinese = text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
            let note = fields.count > 4 ? fields[4].trimmingCharacters(in: .whitespaces) : ""
            headlines.append(
                Headline(
                    text: text, language: chinese ? "zh" : "en",
                    translation: chinese && !note.isEmpty ? (note, "en") : nil))
        }
        return headlines
    }
}

extension ScenarioParameters.Tier: ExpressibleByArgument {}
