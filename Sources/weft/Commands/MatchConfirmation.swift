import ArgumentParser
import Foundation
import WeftCore

/// What `weft match --confirm` writes: one local case holding the hashed signals of the records an analyst
/// confirmed from the review queue, as publication lines (`weft publish` reads them) for the analyst to check and
/// publish. This closes the matcher's loop (DESIGN.md §6): the federation's indicators found the posts, and the
/// platform's own copies go back out as its own case, which puts the platform into the operation.
///
/// Only hashed values go out, as with `weft ingest`: canonical links and domains, hashtags, text digests and keyed
/// MinHash sketches, keyed accounts and handles. A picture is included only when it matched something the
/// federation already reported; another picture on a confirmed post may be personal and is withheld.
struct MatchConfirmation {
    /// The case to write.
    struct CaseOptions {
        var id: String
        var status: String
        var labels: [String]
        var confidence: Int
        var day: String
    }

    let options: CaseOptions
    /// The record ids the analyst confirmed.
    let wanted: Set<String>
    /// Confirmed ids seen in the input.
    private(set) var found: Set<String> = []
    /// Pictures left out because they matched nothing.
    private(set) var withheldPictures = 0
    private var accountRecords: Set<String> = []
    /// Per indicator: the confirmed records that carry it.
    private var carriers: [Indicator: Set<String>] = [:]

    init(options: CaseOptions, wanted: Set<String>) {
        self.options = options
        self.wanted = wanted
    }

    /// Takes one record's signals if its id was confirmed. `pictures` are the record's own PDQ hashes by field;
    /// `matchedFields` the fields that had a hit.
    mutating func add(
        id: String?, values: [(field: String, kind: IndicatorKind, value: String)],
        pictures: [(field: String, pdq: String)], matchedFields: Set<String>, isAccount: Bool
    ) {
        guard let id, wanted.contains(id) else { return }
        found.insert(id)
        if isAccount { accountRecords.insert(id) }
        let media = Set(values.map(\.field).filter { $0.hasPrefix("media[") }).union(pictures.map(\.field))
        withheldPictures += media.subtracting(matchedFields).count
        let kept =
            values.filter { !$0.field.hasPrefix("media[") || matchedFields.contains($0.field) }
            .map { ($0.kind, $0.value) }
            + pictures.filter { matchedFields.contains($0.field) }.map { (IndicatorKind.pdq, $0.pdq) }
        for (kind, value) in kept {
            guard let indicator = try? Indicator(kind: kind, value: value) else { continue }
            carriers[indicator, default: []].insert(id)
        }
    }

    /// The publication: the case, then one report per indicator, in indicator order. Posting and flagged counts
    /// are the confirmed records carrying each value (the match input names no accounts for posts, so this is a
    /// lower bound on how many accounts posted it, all of them flagged).
    func lines() throws -> [String] {
        let caseLine: JSONValue = [
            "type": "case", "id": .string(options.id), "status": .string(options.status),
            "labels": .array(options.labels.map { .string($0) }),
            "accounts": .integer(max(1, accountRecords.count)),
        ]
        var lines = [try CanonicalJSON.string(caseLine)]
        for indicator in carriers.keys.sorted() {
            let count = carriers[indicator]!.count
            let report: JSONValue = [
                "type": "report", "case": .string(options.id), "kind": .string(indicator.kind.rawValue),
                "value": .string(indicator.value), "first_seen": .string(options.day),
                "confidence": .integer(options.confidence), "labels": .array(options.labels.map { .string($0) }),
                "posting_accounts": .integer(count), "flagged_accounts": .integer(count),
            ]
            lines.append(try CanonicalJSON.string(report))
        }
        return lines
    }

    /// How many indicators the case holds.
    var indicatorCount: Int { carriers.count }
}

/// `weft match`'s options for turning confirmed records into a case.
struct MatchConfirmationOptions: ParsableArguments {
    @Option(name: .customLong("confirm"), help: "A record id the review confirmed (repeatable).")
    var confirmed: [String] = []
    @Option(help: "With --confirm: the id of the local case to write.") var asCase: String?
    @Option(help: "With --confirm: the case's status, suspected or confirmed.") var status = "confirmed"
    @Option(name: .customLong("label"), help: "With --confirm: a label for the case and its reports (repeatable).")
    var labels: [String] = []
    @Option(help: "With --confirm: the reports' confidence, 0…100.") var confidence = 80
    @Option(help: "With --confirm: the day the records were seen, YYYY-MM-DD (default: today, UTC).")
    var seen: String?

    /// The confirmation to fill, or nil when no record was confirmed; checks the options first.
    func start() throws -> MatchConfirmation? {
        guard !confirmed.isEmpty else {
            guard asCase == nil else { throw CLIFailure("--as-case needs --confirm", status: ExitStatus.usage) }
            return nil
        }
        guard let asCase else { throw CLIFailure("--confirm needs --as-case NAME", status: ExitStatus.usage) }
        let day = seen ?? UTCTime.day(Int64(Date().timeIntervalSince1970))
        do {
            _ = try CaseID(asCase)
            _ = try Day(day)
            for label in labels { _ = try Label(label) }
        } catch { throw CLIFailure("\(error)", status: ExitStatus.usage) }
        guard Case.Status(rawValue: status) != nil, (0...100).contains(confidence) else {
            throw CLIFailure(
                "--status must be suspected or confirmed and --confidence 0…100", status: ExitStatus.usage)
        }
        return MatchConfirmation(
            options: .init(id: asCase, status: status, labels: labels, confidence: confidence, day: day),
            wanted: Set(confirmed))
    }

    /// Prints the publication and a summary; fails when no confirmed id was in the input.
    func finish(_ confirmation: MatchConfirmation) throws {
        let missing = confirmation.wanted.subtracting(confirmation.found).sorted()
        guard !confirmation.found.isEmpty else {
            throw CLIFailure("none of the \(confirmation.wanted.count) confirmed ids is in the input")
        }
        for line in try confirmation.lines() { print(line) }
        printError(
            "case \(confirmation.options.id): \(confirmation.found.count) confirmed records, "
                + "\(confirmation.indicatorCount) indicators"
                + (confirmation.withheldPictures > 0
                    ? "; \(confirmation.withheldPictures) pictures withheld (they matched nothing reported)" : "")
                + (missing.isEmpty ? "" : "; not in the input: \(missing.joined(separator: ", "))")
                + ". Check it, then: weft publish FILE")
    }
}
