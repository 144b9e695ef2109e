import ArgumentParser
import Foundation
import WeftAnalysis
import WeftHashing
import WeftStore

/// `weft search pdq|image|text`: near-duplicate look-ups in the merged view.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find reported pictures and texts near a given one, in this node's merged view.",
        subcommands: [SearchPDQCommand.self, SearchImageCommand.self, SearchTextCommand.self]
    )

    /// Prints matches as a table: value, closeness, and each reporting case.
    static func printMatches(_ matches: [IndicatorSearch.Match], closeness: (IndicatorSearch.Match) -> String) {
        if matches.isEmpty { return print("no matches") }
        var rows: [[String]] = []
        for match in matches {
            for hit in match.cases {
                rows.append([
                    match.kind, String(match.value.prefix(24)) + "…", closeness(match), hit.originName, hit.caseID,
                    "\(hit.firstSeen)…\(hit.lastSeen)", "\(hit.flaggedAccounts) of \(hit.postingAccounts)",
                ])
            }
        }
        print(renderTable(["KIND", "VALUE", "MATCH", "ORIGIN", "CASE", "SEEN", "FLAGGED OF POSTERS"], rows))
    }
}

struct SearchPDQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdq", abstract: "Reported PDQ hashes within a Hamming distance of HEX (exhaustive, exact).")

    @OptionGroup var home: HomeOptions
    @Argument(help: "A PDQ hash: 64 hex digits.") var hash: String
    @Option(help: "The largest Hamming distance that matches (0–256).") var maxDistance = 31
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReporting {
            guard let query = PDQHash(hex: hash.lowercased()) else {
                throw CLIFailure("'\(hash)' is not a PDQ hash (64 hex digits)", status: ExitStatus.usage)
            }
            guard (0...256).contains(maxDistance) else {
                throw CLIFailure("--max-distance must be 0…256", status: ExitStatus.usage)
            }
            let view = try NodeHome.open(home).store().mergedView()
            let matches = IndicatorSearch(view: view).pdq(query, maximumDistance: maxDistance)
            if json { return try printJSON(matches) }
            SearchCommand.printMatches(matches) { "distance \($0.distance ?? 0)" }
        }
    }
}

struct SearchImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Reported PDQ hashes near a picture or any of its rotations and mirror images (exhaustive, exact).",
        discussion: """
            The picture (JPEG or PNG) is hashed here, in all eight dihedral variants; each match names the variant \
            that matched. The picture never leaves this process.
            """)

    @OptionGroup var home: HomeOptions
    @Argument(help: "A JPEG or PNG file.") var file: String
    @Option(help: "The largest Hamming distance that matches (0–256).") var maxDistance = 31
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReporting {
            guard (0...256).contains(maxDistance) else {
                throw CLIFailure("--max-distance must be 0…256", status: ExitStatus.usage)
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIFailure("cannot read \(file)", status: ExitStatus.noHome)
            }
            let hashes: ImageHashes
            do { hashes = try ImageHashes(fileBytes: Array(data), limits: .standard, dihedral: true) } catch {
                throw CLIFailure("\(file): \(error)", status: ExitStatus.dataError)
            }
            if let problem = hashes.pdqProblem { printError("warning: \(file): \(problem); matches may be unreliable") }
            let view = try NodeHome.open(home).store().mergedView()
            let matches = IndicatorSearch(view: view).pdq(
                dihedral: hashes.dihedral ?? [hashes.pdq.hash], maximumDistance: maxDistance)
            if json { return try printJSON(matches) }
            SearchCommand.printMatches(matches) { "distance \($0.distance ?? 0) (\($0.transform ?? "original"))" }
        }
    }
}

struct SearchTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Reported texts equal to FILE's text after normalisation, or near copies of it (keyed MinHash).",
        discussion: "The text is hashed here with the federation key and never leaves this process."
    )

    @OptionGroup var home: HomeOptions
    @OptionGroup var key: FederationKeyOption
    @Argument(help: "A file holding the text, or - for standard input.") var file: String
    @Option(help: "The smallest estimated Jaccard similarity that matches.") var minSimilarity = 0.7
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReporting {
            guard (0...1).contains(minSimilarity) else {
                throw CLIFailure("--min-similarity must be 0…1", status: ExitStatus.usage)
            }
            let text = String(decoding: try readInput(file), as: UTF8.self)
            let fingerprint = TextFingerprint(text: text, hasher: MinHasher(key: try key.load()))
            let view = try NodeHome.open(home).store().mergedView()
            let matches = IndicatorSearch(view: view).text(fingerprint, minimumSimilarity: minSimilarity)
            if json { return try printJSON(matches) }
            SearchCommand.printMatches(matches) { String(format: "similarity %.2f", $0.similarity ?? 0) }
        }
    }
}
