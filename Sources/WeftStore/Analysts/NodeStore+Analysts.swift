import Crypto
import GRDB
import WeftCore

/// Someone allowed to call the analyst API (`weft analyst add`).
public struct AnalystRecord: Sendable, Hashable, Codable {
    /// A name for people and the audit log.
    public var name: String
    /// When the analyst was added.
    public var addedAt: String
    /// When the analyst's token was last accepted (at most once a minute is recorded).
    public var lastUsedAt: String?
}

/// Why an analyst could not be added or removed.
public struct AnalystError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    public var description: String { reason }
}

extension NodeStore {
    /// Adds an analyst and returns their bearer token, which is shown once: the store keeps only its SHA-256.
    /// Audited.
    public func addAnalyst(named name: String) throws -> String {
        guard Self.isValidName(name) else {
            throw AnalystError(reason: "an analyst name must be 1–64 characters of letters, digits, '-', '_' or '.'")
        }
        var generator = SystemRandomNumberGenerator()
        let token = "weft_" + Hex.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM analyst WHERE name = ?", arguments: [name]) == true {
                throw AnalystError(reason: "an analyst named '\(name)' already exists")
            }
            try db.execute(
                sql: "INSERT INTO analyst (name, token_sha256, added_at) VALUES (?, ?, ?)",
                arguments: [name, Self.tokenDigest(token), Timestamp.string()])
            try AuditLog.append(db, action: "analyst.add", subject: name, outcome: "changed")
        }
        return token
    }

    /// Removes an analyst; their token stops working at once, also on a running server. Audited.
    public func removeAnalyst(named name: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM analyst WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { throw AnalystError(reason: "no analyst named '\(name)'") }
            try AuditLog.append(db, action: "analyst.remove", subject: name, outcome: "changed")
        }
    }

    /// Every analyst, by name.
    public func analysts() throws -> [AnalystRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, added_at, last_used_at FROM analyst ORDER BY name").map {
                AnalystRecord(name: $0["name"], addedAt: $0["added_at"], lastUsedAt: $0["last_used_at"])
            }
        }
    }

    /// The analyst a bearer token belongs to, or nil; records the use (at most once a minute per analyst).
    public func analyst(bearing token: String) throws -> AnalystRecord? {
        guard token.hasPrefix("weft_"), token.utf8.count == 69 else { return nil }
        let digest = Self.tokenDigest(token)
        let found = try database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, added_at, last_used_at FROM analyst WHERE token_sha256 = ?", arguments: [digest]
            ).map { AnalystRecord(name: $0["name"], addedAt: $0["added_at"], lastUsedAt: $0["last_used_at"]) }
        }
        guard var analyst = found else { return nil }
        let now = Timestamp.string()
        if analyst.lastUsedAt.map({ $0.prefix(16) != now.prefix(16) }) ?? true {
            try database.write { db in
                try db.execute(
                    sql: "UPDATE analyst SET last_used_at = ? WHERE name = ?", arguments: [now, analyst.name])
            }
            analyst.lastUsedAt = now
        }
        return analyst
    }

    private static func tokenDigest(_ token: String) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(token.utf8))))
    }
}
