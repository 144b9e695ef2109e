import GRDBSQLite
import Testing

@testable import WeftStore

/// ``NodeStore/sqliteSettings``: SQLite's process-wide settings either took effect before the first connection
/// opened, or SQLite refused them because it was already initialised (another test may have opened it first).
@Suite struct SQLiteSettingsTests {
    @Test func settingsTakeEffectOrAreRefusedAsTooLate() throws {
        let store = try StoreFixture()
        _ = try store.dataChecksums()
        if NodeStore.sqliteSettings == SQLITE_OK {
            // With memory statistics off, SQLite never counts what it allocates.
            #expect(sqlite3_memory_used() == 0)
        } else {
            #expect(NodeStore.sqliteSettings == SQLITE_MISUSE)
        }
    }
}
