/// A record (case, report, retraction, bundle field or input line) that fails validation: which record, which
/// field, and why, so that the person who produced it can fix it.
public struct RecordError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where the record sits, e.g. `reports[3]` or `line 12`.
    public var record: String
    /// The field at fault, if one field is; nested fields use dots (`prevalence.flagged`).
    public var field: String?
    /// Why the value is refused.
    public var reason: String

    /// Creates an error.
    public init(record: String, field: String?, reason: String) {
        self.record = record
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "\(record): field '\(field)': \(reason)" }
        return "\(record): \(reason)"
    }

    /// The same error with its record placed inside `outer`, e.g. `reports[3]` becomes `line 7: reports[3]`.
    public func nested(in outer: String) -> RecordError {
        RecordError(record: record.isEmpty ? outer : "\(outer) \(record)", field: field, reason: reason)
    }
}
