import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// Commits reach the database file through the store's background checkpointer, not through SQLite's own
/// checkpoint (whose bound, 256 MiB of WAL, these writes stay far below).
@Suite struct BackgroundCheckpointTests {
    static func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    @Test func aCommitIsCopiedFromTheWALIntoTheDatabaseFile() throws {
        let node = try StoreFixture()
        let path = node.directory + "/weft.sqlite"
        node.store.checkpointer.waitForRequested()
        let before = try Self.fileSize(path)
        let bundles = node.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(3_000))
        for result in try node.store.receive(batch: bundles.map(\.envelopeBytes)) { _ = try result.get() }

        // In WAL mode only a checkpoint writes the database file: without one it would not have grown at all.
        node.store.checkpointer.waitForRequested()
        let after = try Self.fileSize(path)
        #expect(after > before + 3_000 * 200, "database file \(before) → \(after) bytes")
        #expect(try Self.growthFromAnotherCheckpoint(path) == 0, "pages were left in the WAL")
    }

    @Test func aStoreClosesEveryConnectionWhenItGoesAway() throws {
        let path: String
        do {
            let node = try StoreFixture()
            path = node.directory + "/weft.sqlite"
            let bundles = node.alphaBundles(
                cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(500))
            for result in try node.store.receive(batch: bundles.map(\.envelopeBytes)) { _ = try result.get() }
        }
        // The last connection to close deletes the WAL. Were the checkpoint's connection left to close later, on
        // its own queue, the file would still be here (and could vanish while someone removes the directory).
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// How much a checkpoint from a connection of its own grows the database file: nothing, once every page
    /// committed has been copied.
    static func growthFromAnotherCheckpoint(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        return try queue.writeWithoutTransaction { db in
            let sizeBefore = try fileSize(path)
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            return try fileSize(path) - sizeBefore
        }
    }
}
