import GRDB
import WeftCore

import struct Foundation.Data

/// A known origin: a signing key the node accepts bundles from, with a name for people and a trust status.
public struct OriginRecord: Sendable, Hashable {
    /// Trust status.
    public enum Status: String, Sendable, Codable {
        /// Bundles are accepted.
        case active
        /// The origin equivocated or was suspended: new bundles are refused and its reports leave the merged view.
        case quarantined
        /// The origin is no longer trusted: new bundles are refused and its reports leave the merged view.
        case revoked
    }

    /// The origin id.
    public var id: OriginID
    /// The Ed25519 public key.
    public var publicKey: OriginPublicKey
    /// A name for people, unique in this store.
    public var name: String
    /// Trust status.
    public var status: Status
    /// Why the status was last changed.
    public var statusReason: String?
    /// True for this node's own origin.
    public var isSelf: Bool
    /// When it was added.
    public var addedAt: String

    init(row: Row) throws {
        let id: String = row["id"]
        let key: [UInt8] = Array((row["public_key"] as Data?) ?? Data())
        self.id = try OriginID(hex: id)
        self.publicKey = try OriginPublicKey(rawRepresentation: key)
        self.name = row["name"]
        self.status = Status(rawValue: row["status"]) ?? .quarantined
        self.statusReason = row["status_reason"]
        self.isSelf = row["is_self"]
        self.addedAt = row["added_at"]
    }
}

/// Why an origin could not be added or changed.
public struct OriginError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    public var description: String { reason }
}

extension NodeStore {
    /// Adds an origin the node will accept bundles from. Audited.
    public func addOrigin(name: String, publicKey: OriginPublicKey, isSelf: Bool = false) throws -> OriginRecord {
        let id = publicKey.originID
        guard (1...64).contains(name.utf8.count), !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw OriginError(reason: "origin name must be 1–64 characters without spaces")
        }
        return try database.write { db in
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM origin WHERE id = ?", arguments: [id.hex]) {
                throw OriginError(reason: "origin \(id.short) is already known as '\(existing["name"] as String)'")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM origin WHERE name = ?", arguments: [name]) == true {
                throw OriginError(reason: "the name '\(name)' is already used by another origin")
            }
            try db.execute(
                sql: """
                    INSERT INTO origin (id, public_key, name, status, is_self, added_at) VALUES (?, ?, ?, 'active', ?, ?)
                    """, arguments: [id.hex, Data(publicKey.rawRepresentation), name, isSelf, Timestamp.string()])
            try AuditLog.append(db, action: "origin.add", subject: id.hex, outcome: "changed", detail: "name \(name)")
            return try OriginRecord(
                row: try Row.fetchOne(db, sql: "SELECT * FROM origin WHERE id = ?", arguments: [id.hex])!)
        }
    }

    /// Changes an origin's trust status (revoke, quarantine, or back to active). Audited.
    public func setOriginStatus(_ id: OriginID, to status: OriginRecord.Status, reason: String) throws {
        try database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT is_self FROM origin WHERE id = ?", arguments: [id.hex]) != nil
            else {
                throw OriginError(reason: "origin \(id.short) is not known")
            }
            try db.execute(
                sql: "UPDATE origin SET status = ?, status_reason = ? WHERE id = ?",
                arguments: [status.rawValue, reason, id.hex])
            try AuditLog.append(
                db, action: "origin.\(status.rawValue)", subject: id.hex, outcome: "changed", reason: reason)
        }
    }

    /// All known origins, by name.
    public func origins() throws -> [OriginRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM origin ORDER BY name").map(OriginRecord.init(row:))
        }
    }

    /// Finds an origin by id, id prefix (at least 8 digits) or name.
    public func origin(matching text: String) throws -> OriginRecord? {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM origin WHERE name = ? OR id = ? OR (length(?) >= 8 AND id LIKE ? || '%')
                    """, arguments: [text, text, text, text])
            guard rows.count == 1 else { return nil }
            return try OriginRecord(row: rows[0])
        }
    }

    static func originRecord(_ db: Database, _ id: OriginID) throws -> OriginRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM origin WHERE id = ?", arguments: [id.hex]).map(OriginRecord.init(row:))
    }
}
