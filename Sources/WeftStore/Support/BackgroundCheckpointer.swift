import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies committed WAL frames back into the database file on a queue of its own, so that the writer does not.
///
/// SQLite's automatic checkpoint runs inside the `COMMIT` that crosses its threshold: the writer thread copies the
/// WAL into the database and waits for two `fsync`s before it can start the next transaction. Here every commit
/// only asks for a checkpoint (``request()``); a dedicated connection runs it on another core. The checkpoint is
/// `PASSIVE`: it never waits for or blocks readers and the writer, and copies what it can. At a million reports
/// this made the sync writer about a sixth faster (docs/benchmarks.md).
///
/// SQLite restarts the WAL from its beginning only when a transaction starts after every frame was copied; a
/// writer that starts its next transaction while this checkpoint is still copying keeps appending. SQLite's own
/// checkpoint therefore stays on, at four times the old threshold (``inlineThresholdPages``), as a bound on the
/// WAL's size; when this one keeps up, it finds little left to copy.
final class BackgroundCheckpointer: Sendable {
    /// SQLite's `wal_autocheckpoint` for the store's connections, in pages.
    static let inlineThresholdPages = 32_768

    private let connection: Mutex<OpaquePointer?>
    private let pending = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "weft.store.checkpoint", qos: .utility)

    /// Opens the checkpoint's own connection to the WAL-mode database at `path`.
    init(path: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK else { throw Self.failure(code, closing: handle) }
        // A connection only finds the WAL once it has read the database; until then a checkpoint does nothing.
        let read = sqlite3_exec(handle, "SELECT count(*) FROM sqlite_master", nil, nil, nil)
        guard read == SQLITE_OK else { throw Self.failure(read, closing: handle) }
        connection = Mutex(handle)
    }

    /// The error for a connection that could not be opened or read; closes it.
    private static func failure(_ code: Int32, closing handle: OpaquePointer?) -> DatabaseError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
        sqlite3_close_v2(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: "checkpoint connection: \(message)")
    }

    // Never waits for the queue: the last reference may be dropped by a block running on it.
    deinit { closeConnection() }

    /// Asks for a checkpoint after a commit; returns at once. Requests made while one is queued are merged.
    func request() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { self.run() }
    }

    /// Waits until the checkpoints requested so far have run.
    func waitForRequested() { queue.sync {} }

    /// Waits for a checkpoint in progress, then closes the connection on the caller's thread; later requests do
    /// nothing. The store calls this when it goes away, so that no connection closes later, on this queue: the
    /// last connection to close deletes the WAL and shared-memory files, which raced with removing the store's
    /// directory (found by `weft bench sync` leaving half-removed directories behind).
    func close() {
        queue.sync { closeConnection() }
    }

    private func closeConnection() {
        connection.withLock { handle in
            sqlite3_close_v2(handle)
            handle = nil
        }
    }

    private func run() {
        pending.store(false, ordering: .releasing)
        connection.withLock { handle in
            guard let handle else { return }
            // SQLITE_BUSY (the writer's own bound checkpoint is running) leaves the work to the next request.
            _ = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
    }
}

/// Requests a background checkpoint after every commit of the connection it is added to.
final class CheckpointOnCommit: TransactionObserver {
    private let checkpointer: BackgroundCheckpointer

    init(_ checkpointer: BackgroundCheckpointer) {
        self.checkpointer = checkpointer
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { checkpointer.request() }
    func databaseDidRollback(_ db: Database) {}
}
