import WeftCore

/// Reads a JSONL file of cases, reports and retractions, as an analyst or a platform pipeline writes them.
///
/// One object per line, with `type` one of `case`, `report` or `retraction`. Counts are given exactly
/// (`accounts`, `posting_accounts`, `flagged_accounts`) and reduced to log₂ buckets here, before anything is
/// signed. Any bad line fails the whole file, with its line number. See docs/cli.md for every field.
struct PublicationInput {
    var cases: [Case] = []
    var reports: [Report] = []
    var retractions: [Retraction] = []

    /// Parses every line; throws the first bad line's error.
    init(jsonl bytes: [UInt8]) throws(RecordError) {
        var caseIDs: Set<CaseID> = []
        for (lineNumber, line) in jsonLines(bytes) {
            let record = "line \(lineNumber)"
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                throw RecordError(record: record, field: nil, reason: "not JSON: \(error)")
            }
            var reader = try FieldReader(value, record: record)
            switch try reader.string("type") {
            case "case":
                let item = try Self.readCase(&reader)
                guard caseIDs.insert(item.id).inserted else {
                    throw reader.error("id", "case \(item.id) appears twice in this file")
                }
                cases.append(item)
            case "report":
                reports.append(try Self.readReport(&reader))
            case "retraction":
                let canonical = try Retraction(
                    json: .object(Self.remaining(&reader, ["case", "report", "reason"])), record: record)
                retractions.append(canonical)
            case let other:
                throw reader.error("type", "'\(other)' is not case, report or retraction")
            }
            try reader.finish()
        }
    }

    private static func remaining(_ reader: inout FieldReader, _ fields: [String]) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for field in fields { if let value = reader.optional(field) { members[field] = value } }
        return members
    }

    private static func readCase(_ reader: inout FieldReader) throws(RecordError) -> Case {
        let id = try reader.parsed("id", CaseID.init)
        let statusText = try reader.optionalString("status") ?? "suspected"
        guard let status = Case.Status(rawValue: statusText) else {
            throw reader.error("status", "'\(statusText)' is not suspected or confirmed")
        }
        let labels = try reader.labels("labels")
        let accounts = try reader.integer("accounts", in: 0...Int(Int32.max))
        return Case(id: id, status: status, labels: labels, accounts: PrevalenceBucket(count: accounts))
    }

    private static func readReport(_ reader: inout FieldReader) throws(RecordError) -> Report {
        let caseID = try reader.parsed("case", CaseID.init)
        let kind = try reader.parsed("kind", IndicatorKind.init(validating:))
        let value = try reader.string("value")
        let indicator: Indicator
        do { indicator = try Indicator(kind: kind, value: value) } catch { throw reader.error("value", error.reason) }
        let firstSeen = try reader.parsed("first_seen", Day.init)
        let lastSeen = try reader.optionalParsed("last_seen", Day.init) ?? firstSeen
        let confidence = try reader.integer("confidence", in: 0...100)
        let labels = try reader.labels("labels")
        let posting = try reader.integer("posting_accounts", in: 0...Int(Int32.max))
        let flagged = try reader.integer("flagged_accounts", in: 0...Int(Int32.max))
        guard flagged <= posting else {
            throw reader.error("flagged_accounts", "\(flagged) exceeds posting_accounts \(posting)")
        }
        do {
            return try Report(
                caseID: caseID, indicator: indicator, firstSeen: firstSeen, lastSeen: lastSeen,
                confidence: confidence, labels: labels, postingAccounts: PrevalenceBucket(count: posting),
                flaggedAccounts: PrevalenceBucket(count: flagged))
        } catch {
            throw RecordError(record: reader.record, field: error.field, reason: error.reason)
        }
    }
}
