import GRDB
import WeftCore

extension NodeStore {
    /// The merge's last saved result and the version it was computed for, or nil if none was saved.
    public func savedOperations() throws -> (version: String, bodies: [String])? {
        try database.read { db in
            guard let version = try String.fetchOne(db, sql: "SELECT version FROM saved_operation_state") else {
                return nil
            }
            return (version, try String.fetchAll(db, sql: "SELECT body FROM saved_operation ORDER BY position"))
        }
    }

    /// Replaces the saved result with `operations` (id and JSON body, in order), computed for `version`.
    public func saveOperations(_ operations: [(id: String, body: String)], version: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM saved_operation")
            for (position, operation) in operations.enumerated() {
                try db.execute(
                    sql: "INSERT INTO saved_operation (position, id, body) VALUES (?, ?, ?)",
                    arguments: [position, operation.id, operation.body])
            }
            try db.execute(
                sql: """
                    INSERT INTO saved_operation_state (singleton, version, computed_at) VALUES (1, ?, ?)
                    ON CONFLICT (singleton) DO UPDATE SET version = excluded.version, computed_at = excluded.computed_at
                    """, arguments: [version, Timestamp.string()])
        }
    }
}
