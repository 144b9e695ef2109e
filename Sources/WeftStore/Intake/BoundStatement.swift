import GRDB
import GRDBSQLite

/// A cached GRDB statement driven through SQLite's C interface: values are bound one by one and the statement is
/// stepped and reset in place.
///
/// Intake writes several rows per report, millions of times; GRDB's `execute(arguments:)` builds an array of
/// `DatabaseValue`s for every call and SQLite copies each bound string again, which measured as a fifth of the
/// writer's time. Only the intake hot path uses this; everything else stays on GRDB's API.
///
/// Texts are bound from a ``TextParameters`` the caller keeps and refills, so that an execution allocates
/// nothing.
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

    /// Binds `texts` (after integers bound with ``bind(_:_:)``), runs the statement, then resets it and clears its
    /// bindings; returns the number of rows it changed. SQLite reads the texts in place, from the one buffer they
    /// were packed into, instead of copying each into its own memory.
    func execute(_ texts: TextParameters) throws -> Int {
        try texts.bytes.withUnsafeBufferPointer { bytes in
            // An empty buffer may have no address, and a nil text pointer would bind NULL instead of "".
            let base = bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(Self.empty.utf8Start)
            for span in texts.spans {
                let text = base.advanced(by: span.start).assumingMemoryBound(to: CChar.self)
                // A nil destructor is SQLITE_STATIC: SQLite reads the bytes where they are, until the reset below.
                sqlite3_bind_text(handle, span.parameter, text, Int32(span.end - span.start), nil)
            }
            defer { sqlite3_clear_bindings(handle) }
            return try run()
        }
    }

    private static let empty: StaticString = ""

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

/// The text parameters of one execution of a ``BoundStatement``, packed into one buffer that keeps its capacity
/// from one execution to the next.
///
/// A value type on purpose: as a class, every access to its arrays went through Swift's dynamic exclusivity
/// checks (a thread-local access set), about 3% of the writer's samples; a struct the writer owns is checked at
/// compile time.
struct TextParameters {
    private(set) var bytes: [UInt8] = []
    private(set) var spans: [(parameter: Int32, start: Int, end: Int)] = []

    init() {
        bytes.reserveCapacity(512)
        spans.reserveCapacity(16)
    }

    /// Forgets the texts of the previous execution.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
    }

    /// Adds `text` for parameter `parameter` (from 1).
    mutating func append(_ parameter: Int32, _ text: String) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        spans.append((parameter, start, bytes.count))
    }
}
