import Crypto
import GRDB
import WeftCore

/// An order-independent fingerprint of a table's content: the SHA-256 of every row's typed values, rows taken
/// in the order of all their columns. Two tables with the same rows have the same checksum, however they were
/// written; tests use it to prove a rejection changed nothing, and `weft verify` to prove a rebuild equals the
/// incremental state.
public enum TableChecksum {
    /// The checksum of `table`.
    public static func compute(_ db: Database, table: String) throws -> String {
        let sql: String
        if let (select, count) = logicalRows[table] {
            sql = "SELECT * FROM (\(select)) ORDER BY \((1...count).map(String.init).joined(separator: ", "))"
        } else {
            let columns = try db.columns(in: table).map { $0.name.quotedDatabaseIdentifier }
            sql =
                "SELECT \(columns.joined(separator: ", ")) FROM \(table.quotedDatabaseIdentifier) "
                + "ORDER BY \(columns.joined(separator: ", "))"
        }
        var hasher = SHA256()
        let rows = try Row.fetchCursor(db, sql: sql)
        while let row = try rows.next() {
            for value in row.databaseValues {
                switch value.storage {
                case .null: hasher.update(data: [0])
                case .int64(let number): hasher.update(data: [1] + Array(String(number).utf8) + [0])
                case .double(let number): hasher.update(data: [2] + Array("\(number)".utf8) + [0])
                case .string(let text):
                    let bytes = Array(text.utf8)
                    hasher.update(data: [3] + Array(String(bytes.count).utf8) + [0] + bytes)
                case .blob(let data): hasher.update(data: [4] + Array(String(data.count).utf8) + [0] + Array(data))
                }
            }
            hasher.update(data: [0xFF])
        }
        return Hex.encode(hasher.finalize())
    }

    /// Tables with physical columns (local ids, hash slots; see `HashSlot`) that differ between nodes holding the
    /// same bundles: their checksum reads the logical rows instead, local ids replaced by the keys they stand
    /// for, with the count of columns to order by.
    static let logicalRows: [String: (select: String, columns: Int)] = [
        "indicator": ("SELECT key, kind, value FROM indicator", 3),
        "report": (
            """
            SELECT r.id, r.origin, r.channel, r.case_id, i.key AS indicator_key, r.first_seen, r.last_seen,
                   r.confidence, r.labels, r.accounts_bucket, r.flagged_bucket, r.bundle_id, r.retracted_by
            FROM report r JOIN indicator i ON i.id = r.indicator_id
            """, 13
        ),
        // Which reports each case reaches through its runs; the runs' seqs themselves are local.
        "case_run": (
            """
            SELECT r.origin, r.channel, r.case_id, r.id, r.case_slot = run.case_slot AS slot_matches
            FROM case_run run JOIN report r ON r.seq BETWEEN run.first_seq AND run.last_seq
            """, 5
        ),
    ]

    /// Checksums of every user table, by name.
    public static func all(_ db: Database) throws -> [String: String] {
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """)
        var result: [String: String] = [:]
        for table in tables { result[table] = try compute(db, table: table) }
        return result
    }
}
