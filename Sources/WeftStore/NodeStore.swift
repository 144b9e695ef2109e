import CSQLiteSetup
import Foundation
import GRDB
import Logging
import Synchronization
import WeftCore

/// A node's SQLite store (GRDB `DatabasePool`, WAL mode, one writer).
///
/// Bundles are kept verbatim and are the source of truth; the indicator, report, case and retraction tables
/// are derived from them. Every bundle enters through ``receive(envelope:)``, which runs the whole
/// verification order in one transaction.
public final class NodeStore: Sendable {
    /// The database.
    public let database: DatabasePool
    /// This node's origin id: the audience check asks whether bundles are meant for it.
    public let node: OriginID
    /// Limits on received bundles.
    public let limits: BundleLimits
    let logger: Logger
    /// Copies the WAL back into the database file after commits, off the writer's thread.
    let checkpointer: BackgroundCheckpointer
    /// The derived tables' row counts with the bundle-log stamp they were counted at (``NodeStatus``).
    let derivedCounts = Mutex<DerivedCounts?>(nil)

    /// Opens (creating if needed) the store at `path` and migrates it to the current schema.
    public init(
        path: String, node: OriginID, limits: BundleLimits = .standard,
        logger: Logger = Logger(label: "weft.store")
    ) throws {
        if Self.sqliteSettings != 0 {
            logger.debug("SQLite was initialised before the store: its process-wide settings stay the defaults")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // A 256 MiB page cache (allocated as used) and memory-mapped reads: indicator keys and report ids are
            // hashes, so their index inserts land on random pages, and SQLite's default 2 MiB cache thrashes
            // (measured: a third of apply time in pread/pwrite; 64 → 256 MiB made a 200k-report pull 1.4x faster,
            // 1 GiB no faster again). Checkpoints run off the writer's thread (BackgroundCheckpointer); SQLite's
            // own, at 256 MiB of WAL, is only the bound. synchronous=NORMAL is durable across process crashes in
            // WAL mode. 8 KiB pages (set before the first table, so new stores only) made the hash-slot indexes'
            // random inserts a fifth cheaper at a million reports than 4 KiB pages: shallower trees, fewer splits.
            try db.execute(
                sql: """
                    PRAGMA page_size = 8192;
                    PRAGMA foreign_keys = ON;
                    PRAGMA synchronous = NORMAL;
                    PRAGMA cache_size = -262144;
                    PRAGMA mmap_size = 268435456;
                    PRAGMA temp_store = MEMORY;
                    PRAGMA wal_autocheckpoint = \(BackgroundCheckpointer.inlineThresholdPages)
                    """)
        }
        database = try DatabasePool(path: path, configuration: configuration)
        checkpointer = try BackgroundCheckpointer(path: path)
        database.writeWithoutTransaction { [checkpointer] db in
            db.add(transactionObserver: CheckpointOnCommit(checkpointer), extent: .databaseLifetime)
        }
        try Migrations.migrator.migrate(database)
        self.node = node
        self.limits = limits
        self.logger = logger
    }

    deinit { checkpointer.close() }

    /// SQLite's process-wide settings (`CSQLiteSetup`), made once, before the first store opens a connection:
    /// every connection here is used by one thread at a time, so SQLite's mutex around each API call and its
    /// global memory-statistics mutex around each allocation are pure cost (together about 2% of the sync writer's
    /// samples). Non-zero if SQLite was already initialised, in which case its defaults stay.
    static let sqliteSettings: Int32 = weft_sqlite_configure_for_serialised_connections()

    /// Checksums of every table, for tests and diagnostics.
    public func checksums() throws -> [String: String] {
        try database.read { try TableChecksum.all($0) }
    }

    /// The most recent audit entries, newest last.
    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try database.read { db in
            try AuditEntry.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM audit ORDER BY id DESC LIMIT ?) ORDER BY id",
                arguments: [limit])
        }
    }
}
