/// A later bundle's withdrawal of a report or of a whole case from the same feed. Retractions are kept
/// forever; merges drop what they withdraw everywhere.
public struct Retraction: Sendable, Hashable {
    /// What is withdrawn.
    public enum Target: Sendable, Hashable {
        /// A whole case and every report in it.
        case caseID(CaseID)
        /// One report, by its id.
        case report(String)
    }

    /// Why it is withdrawn.
    public enum Reason: String, Sendable, CaseIterable {
        case falsePositive = "false-positive"
        case expired
        case legal
    }

    /// What is withdrawn.
    public var target: Target
    /// Why.
    public var reason: Reason

    /// Creates a retraction.
    public init(target: Target, reason: Reason) {
        self.target = target
        self.reason = reason
    }
}

extension Retraction {
    /// Reads a retraction from its wire form: exactly one of `case` or `report`, and a `reason`.
    public init(json: JSONValue, record: String) throws(RecordError) {
        var reader = try FieldReader(json, record: record)
        let caseID = try reader.optionalParsed("case", CaseID.init)
        let report = try reader.optionalString("report")
        switch (caseID, report) {
        case (let caseID?, nil): target = .caseID(caseID)
        case (nil, let report?):
            guard Hex.isLowercaseHex(report, count: 64) else {
                throw reader.error("report", "expected a report id of 64 lower-case hex digits")
            }
            target = .report(report)
        default: throw reader.error(nil, "needs exactly one of 'case' or 'report'")
        }
        reason = try reader.parsed("reason") { (text) throws(RecordError) in
            guard let reason = Reason(rawValue: text) else {
                let known = Reason.allCases.map(\.rawValue).joined(separator: ", ")
                throw RecordError(record: "", field: nil, reason: "'\(text)' is not a reason (\(known))")
            }
            return reason
        }
        try reader.finish()
    }

    /// The wire form.
    public var json: JSONValue {
        switch target {
        case .caseID(let id): .object(["case": .string(id.text), "reason": .string(reason.rawValue)])
        case .report(let id): .object(["report": .string(id), "reason": .string(reason.rawValue)])
        }
    }
}
