import GRDB
import Logging
import WeftCore

import struct Foundation.Data

extension NodeStore {
    /// Verifies and applies envelopes in order, all in **one** transaction: a rejected bundle changes nothing but
    /// the audit log (``intakeWithoutPartialWrites(_:_:source:)``), the others land. One commit for many bundles lets
    /// SQLite write each dirty page once instead of once per bundle; this is how a pull loop should apply what a
    /// peer sends. Held bundles that the batch makes applicable are applied afterwards, in order.
    ///
    /// - Returns: one result per envelope, in order.
    /// - Parameter cursor: a pull loop's cursor for the feed these envelopes come from, moved in the same
    ///   transaction, so a crash can never leave it ahead of (or behind) the bundles it covers.
    public func receive(
        batch envelopes: [[UInt8]], source: String = "local", cursor: SyncCursor? = nil
    ) throws
        -> [Result<IntakeOutcome, BundleRejection>]
    {
        try receive(prepared: try prepare(envelopes), source: source, cursor: cursor)
    }

    /// ``receive(batch:source:cursor:)`` for envelopes whose stateless steps ``prepare(_:)`` has already run,
    /// so that a pull loop can prepare the next page on another core while this one is written.
    public func receive(
        prepared: [Result<PreparedBundle, BundleRejection>], source: String = "local", cursor: SyncCursor? = nil
    ) throws
        -> [Result<IntakeOutcome, BundleRejection>]
    {
        var (results, heads) = try database.write { db in
            let outcome = try self.intakeBatch(db, prepared, source: source, audit: true)
            try cursor?.save(db)
            return outcome
        }
        for (feed, head) in heads {
            let drained = try drainPending(after: head.seq, origin: feed.origin, channel: feed.channel, source: source)
            if drained > 0, case .success(.applied(let id, let seq, _)) = results[head.index] {
                results[head.index] = .success(.applied(id, seq: seq, drained: drained))
            }
        }
        return results
    }

    /// Runs envelopes through the full pipeline, in order, as ``receive(batch:source:)`` would — each seeing the
    /// effect of the ones before it — then rolls everything back. Nothing is written, not even to the audit log.
    /// This answers "what would applying this file do?" with the one real implementation of the checks.
    public func dryRun(envelopes: [[UInt8]]) throws -> [Result<IntakeOutcome, BundleRejection>] {
        var results: [Result<IntakeOutcome, BundleRejection>] = []
        let prepared = try prepare(envelopes)
        try database.writeWithoutTransaction { db in
            try db.inTransaction {
                results = try intakeBatch(db, prepared, source: "dry-run", audit: false).results
                return .rollback
            }
        }
        return results
    }

    /// Runs the stateless steps of every envelope on all cores, before the write transaction, with the keys of
    /// the origins known now (an origin added meanwhile is checked by the writer instead).
    public func prepare(_ envelopes: [[UInt8]]) throws -> [Result<PreparedBundle, BundleRejection>] {
        let keys = try database.read { db in
            try Data.fetchAll(db, sql: "SELECT public_key FROM origin").compactMap {
                try? OriginPublicKey(rawRepresentation: Array($0))
            }
        }
        return PreparedBundle.prepare(
            envelopes, keys: Dictionary(keys.map { ($0.originID, $0) }, uniquingKeysWith: { first, _ in first }),
            limits: limits)
    }

    /// A feed, as a dictionary key.
    struct FeedKey: Hashable {
        var origin: OriginID
        var channel: Channel
    }

    /// The pipeline over many envelopes inside an open transaction. Returns the results
    /// and, per feed, the highest seq applied and the index of its result.
    func intakeBatch(
        _ db: Database, _ envelopes: [Result<PreparedBundle, BundleRejection>], source: String, audit: Bool
    ) throws
        -> (results: [Result<IntakeOutcome, BundleRejection>], heads: [FeedKey: (seq: Int, index: Int)])
    {
        var results: [Result<IntakeOutcome, BundleRejection>] = []
        var heads: [FeedKey: (seq: Int, index: Int)] = [:]
        for preparation in envelopes {
            do {
                let prepared = try preparation.get()
                let received = prepared.received
                let step = try intakeWithoutPartialWrites(db, prepared, source: source)
                switch step {
                case .outcome(let outcome): results.append(.success(outcome))
                case .applied(let outcome, let origin, let channel):
                    if case .applied(_, let seq, _) = outcome {
                        heads[FeedKey(origin: origin, channel: channel)] = (seq, results.count)
                    }
                    results.append(.success(outcome))
                case .equivocation(let rejection):
                    if audit {
                        logger.error(
                            "equivocation: origin quarantined",
                            metadata: ["origin": "\(received.signer)", "reason": "\(rejection.message)"])
                    }
                    results.append(.failure(rejection))
                }
            } catch let rejection as BundleRejection {
                if audit { try auditRejection(rejection, source: source, in: db) }
                results.append(.failure(rejection))
            }
        }
        return (results, heads)
    }

    /// ``intake(_:_:source:)`` for one bundle of a batch. Every rejection is decided before the bundle's first
    /// write (the pipeline checks, then writes), so a rejected bundle leaves nothing behind to roll back. That is
    /// what lets a batch do without a savepoint per bundle, which cost a tenth of the writer's time at a million
    /// reports (SQLite copies every page a savepoint modifies). A rejection thrown after a write would be a bug; it
    /// fails the whole transaction instead of committing half a bundle.
    func intakeWithoutPartialWrites(_ db: Database, _ prepared: PreparedBundle, source: String) throws -> IntakeStep {
        let changesBefore = db.totalChangesCount
        do {
            return try intake(db, prepared, source: source)
        } catch let rejection as BundleRejection {
            guard db.totalChangesCount == changesBefore else {
                throw DatabaseError(
                    resultCode: .SQLITE_ABORT,
                    message:
                        "bundle \(rejection.bundleID?.short ?? "?") was rejected after writing: \(rejection.message)")
            }
            throw rejection
        }
    }

    /// Logs a rejection and writes it to the audit log inside `db`'s open transaction.
    func auditRejection(_ rejection: BundleRejection, source: String, in db: Database) throws {
        logger.warning(
            "bundle rejected",
            metadata: [
                "reason": "\(rejection.code)", "source": "\(source)", "detail": "\(rejection.detailedDescription)",
            ])
        try AuditLog.append(
            db, action: "bundle.receive", subject: rejection.bundleID?.hex ?? "-", outcome: "rejected",
            reason: rejection.code.name, detail: "from \(source): \(rejection.message)")
    }
}

extension NodeStore {
    /// Applies batches in order, each as ``receive(batch:source:cursor:)`` would; while one batch is written (one
    /// core), the stateless steps of the next ``lookahead`` batches run on the others, so that neither side waits
    /// for the other at batch boundaries.
    ///
    /// - Returns: one result list per batch.
    /// - Parameter progress: called after each batch with the number of envelopes done so far.
    public func receive(
        pipelined batches: [[[UInt8]]], source: String = "local", progress: ((Int) -> Void)? = nil
    ) async throws
        -> [[Result<IntakeOutcome, BundleRejection>]]
    {
        var done = 0
        var results: [[Result<IntakeOutcome, BundleRejection>]] = []
        var preparing: [Task<[Result<PreparedBundle, BundleRejection>], any Error>] = []
        var launched = 0
        func launch() {
            while preparing.count < Self.lookahead, launched < batches.count {
                let batch = batches[launched]
                preparing.append(Task { try await offloaded { try self.prepare(batch) } })
                launched += 1
            }
        }
        launch()
        for index in batches.indices {
            let prepared = try await preparing.removeFirst().value
            launch()
            results.append(try await offloaded { try self.receive(prepared: prepared, source: source) })
            done += batches[index].count
            progress?(done)
        }
        return results
    }

    /// How many batches are prepared ahead of the one being written.
    static let lookahead = 2
}
