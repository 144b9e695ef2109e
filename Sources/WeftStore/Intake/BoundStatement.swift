import GRDB
import GRDBSQLite

/// A cached GRDB statement driven through SQLite's C interface: values are bound one by one and the statement is
/// stepped and reset in place.
///
/// Intake writes several rows per report, millions of times; GRDB's `execute(arguments:)` builds an array of
/// `DatabaseValue`s for every call and SQLite copies each bound string again, which measured as a fifth of the
/// writer's time. Only the intake hot path uses this; everything else stays on GRDB's API.
struct BoundStatement {
    private let statement: Statement
    private let database: Database

    /// Wraps `db`'s cached statement for `sql`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        database = db
    }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// Binds parameter `index` (from 1) to an integer.
    func bind(_ index: Int32, _ number: Int64) {
        sqlite3_bind_int64(handle, index, number)
    }

    /// Binds `texts` and `integers` (parameter index from 1, value), runs the statement, then resets it and
    /// clears its bindings; returns the number of rows it changed. The texts are copied once, into one buffer
    /// that SQLite reads in place while the statement runs, instead of once each into SQLite's own memory.
    func execute(texts: [(Int32, String)], integers: [(Int32, Int64)]) throws -> Int {
        for (index, number) in integers { sqlite3_bind_int64(handle, index, number) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(texts.reduce(1) { $0 + $1.1.utf8.count })
        var ends: [Int] = []
        ends.reserveCapacity(texts.count)
        for (_, text) in texts {
            buffer.append(contentsOf: text.utf8)
            ends.append(buffer.count)
        }
        buffer.append(0)  // never empty, so the base address is never nil (a nil text pointer binds NULL)
        return try buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var start = 0
            for (position, (index, _)) in texts.enumerated() {
                let text = base.advanced(by: start).assumingMemoryBound(to: CChar.self)
                // A nil destructor is SQLITE_STATIC: SQLite reads the bytes where they are, until the reset below.
                sqlite3_bind_text(handle, index, text, Int32(ends[position] - start), nil)
                start = ends[position]
            }
            defer { sqlite3_clear_bindings(handle) }
            return try run()
        }
    }

    private func run() throws -> Int {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
        return Int(sqlite3_changes(database.sqliteConnection))
    }

    /// Runs a query and hands each row's statement to `row` until it returns false or the rows run out; then
    /// resets the statement.
    func forEachRow(_ row: (SQLiteStatement) throws -> Bool) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code) }
            if try !row(handle) { return }
        }
    }

    /// The rowid of the last row inserted through this connection.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(database.sqliteConnection) }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(database.sqliteConnection)), sql: statement.sql)
    }

    /// Reads column `index` (from 0) of the current row as text.
    static func text(_ row: SQLiteStatement, _ index: Int32) -> String {
        guard let bytes = sqlite3_column_text(row, index) else { return "" }
        return String(cString: bytes)
    }
}
