import GRDB
import WeftCore

/// Appends to the audit log: every bundle accepted, held or rejected, every trust change, every rebuild.
enum AuditLog {
    static func append(
        _ db: Database, action: String, subject: String, outcome: String,
        reason: String? = nil, detail: String? = nil
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit (at, action, subject, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [Timestamp.string(), action, subject, outcome, reason, detail])
    }
}

/// One audit log entry.
public struct AuditEntry: Sendable, Hashable, Codable, FetchableRecord {
    /// Position in the log.
    public var id: Int64
    /// When, UTC.
    public var at: String
    /// What happened, e.g. `bundle.apply`.
    public var action: String
    /// What it concerns.
    public var subject: String
    /// `accepted`, `rejected`, `held`, `changed`, …
    public var outcome: String
    /// The rejection code or the reason for a change.
    public var reason: String?
    /// The full message.
    public var detail: String?
}
