import GRDB
import WeftCore

import struct Foundation.Data

/// The store's schema as numbered, forward-only migrations. Never edit a released step; add a new one.
///
/// Bundles are the source of truth, kept verbatim; `case_record`, `indicator`, `report` and `retraction` are
/// derived from them and can be rebuilt (`weft verify`). (The design calls the case table `case`; it is
/// `case_record` here because CASE is an SQL keyword.)
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-origins-and-bundles") { db in
            try db.execute(
                sql: """
                    CREATE TABLE origin (
                        id            TEXT PRIMARY KEY NOT NULL,   -- sha256(public key), hex
                        public_key    BLOB NOT NULL,               -- raw Ed25519 public key, 32 bytes
                        name          TEXT NOT NULL UNIQUE,
                        status        TEXT NOT NULL CHECK (status IN ('active', 'quarantined', 'revoked')),
                        status_reason TEXT,
                        is_self       INTEGER NOT NULL DEFAULT 0,
                        added_at      TEXT NOT NULL
                    );
                    CREATE TABLE bundle (
                        id          TEXT PRIMARY KEY NOT NULL,     -- sha256(payload), hex
                        origin      TEXT NOT NULL REFERENCES origin(id),
                        channel     TEXT NOT NULL,
                        seq         INTEGER NOT NULL,
                        envelope    BLOB NOT NULL,                 -- the DSSE envelope exactly as received
                        received_at TEXT NOT NULL,
                        UNIQUE (origin, channel, seq)
                    );
                    CREATE TABLE feed_head (
                        origin    TEXT NOT NULL REFERENCES origin(id),
                        channel   TEXT NOT NULL,
                        seq       INTEGER NOT NULL,
                        bundle_id TEXT NOT NULL REFERENCES bundle(id),
                        audience  TEXT NOT NULL,                   -- canonical JSON of the head bundle's audience
                        PRIMARY KEY (origin, channel)
                    ) WITHOUT ROWID;
                    CREATE TABLE pending_bundle (                  -- verified bundles waiting for a gap to fill
                        origin      TEXT NOT NULL REFERENCES origin(id),
                        channel     TEXT NOT NULL,
                        seq         INTEGER NOT NULL,
                        id          TEXT NOT NULL,
                        envelope    BLOB NOT NULL,
                        received_at TEXT NOT NULL,
                        PRIMARY KEY (origin, channel, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE equivocation (                    -- proof: two bundles signed for one place
                        id                   INTEGER PRIMARY KEY AUTOINCREMENT,
                        origin               TEXT NOT NULL REFERENCES origin(id),
                        channel              TEXT NOT NULL,
                        seq                  INTEGER NOT NULL,
                        held_bundle_id       TEXT NOT NULL,
                        conflicting_id       TEXT NOT NULL,
                        conflicting_envelope BLOB NOT NULL,
                        detected_at          TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("2-derived-tables") { db in
            try db.execute(
                sql: """
                    CREATE TABLE case_record (
                        origin          TEXT NOT NULL,
                        channel         TEXT NOT NULL,
                        case_id         TEXT NOT NULL,
                        status          TEXT NOT NULL,
                        labels          TEXT NOT NULL,             -- canonical JSON array
                        accounts_bucket INTEGER NOT NULL,
                        bundle_id       TEXT NOT NULL,             -- the bundle that last declared the case
                        retracted_by    TEXT,                      -- the bundle that retracted it
                        PRIMARY KEY (origin, channel, case_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE indicator (
                        key   TEXT PRIMARY KEY NOT NULL,           -- sha256(kind ‖ 0x00 ‖ value), hex
                        kind  TEXT NOT NULL,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE report (
                        id              TEXT PRIMARY KEY NOT NULL,
                        origin          TEXT NOT NULL,
                        channel         TEXT NOT NULL,
                        case_id         TEXT NOT NULL,
                        indicator_key   TEXT NOT NULL REFERENCES indicator(key),
                        first_seen      TEXT NOT NULL,
                        last_seen       TEXT NOT NULL,
                        confidence      INTEGER NOT NULL,
                        labels          TEXT NOT NULL,
                        accounts_bucket INTEGER NOT NULL,
                        flagged_bucket  INTEGER NOT NULL,
                        bundle_id       TEXT NOT NULL,
                        retracted_by    TEXT
                    ) WITHOUT ROWID;
                    CREATE INDEX report_by_indicator ON report(indicator_key);
                    CREATE INDEX report_by_case ON report(origin, channel, case_id);
                    CREATE TABLE retraction (
                        bundle_id   TEXT NOT NULL,
                        position    INTEGER NOT NULL,
                        origin      TEXT NOT NULL,
                        channel     TEXT NOT NULL,
                        target_type TEXT NOT NULL CHECK (target_type IN ('case', 'report')),
                        target_id   TEXT NOT NULL,
                        reason      TEXT NOT NULL,
                        PRIMARY KEY (bundle_id, position)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("3-audit-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit (
                        id      INTEGER PRIMARY KEY AUTOINCREMENT,
                        at      TEXT NOT NULL,
                        action  TEXT NOT NULL,                     -- e.g. bundle.apply, origin.revoke
                        subject TEXT NOT NULL,                     -- what it concerns: a bundle id, an origin id
                        outcome TEXT NOT NULL,                     -- accepted, rejected, held, changed
                        reason  TEXT,                              -- a rejection code, or why a change was made
                        detail  TEXT                               -- the full message
                    );
                    """)
        }
        migrator.registerMigration("4-peers-and-cursors") { db in
            try db.execute(
                sql: """
                    ALTER TABLE bundle ADD COLUMN audience TEXT;   -- canonical JSON: who may be served this bundle
                    CREATE TABLE peer (
                        name          TEXT PRIMARY KEY NOT NULL,
                        url           TEXT NOT NULL,               -- https://host:port of its sync server
                        spki_pin      TEXT NOT NULL UNIQUE,        -- sha256(DER SubjectPublicKeyInfo), hex
                        origin        TEXT REFERENCES origin(id),  -- the peer node's own origin, if bound
                        status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
                        status_reason TEXT,
                        channels      TEXT NOT NULL DEFAULT '*',   -- channels it may read: * or a comma list
                        relay         INTEGER NOT NULL DEFAULT 1,  -- serve it other origins' feeds too
                        trust         REAL NOT NULL DEFAULT 1.0 CHECK (trust BETWEEN 0 AND 1),
                        added_at      TEXT NOT NULL,
                        last_contact  TEXT,                        -- last successful sync round with it
                        last_error    TEXT,
                        last_error_at TEXT
                    );
                    CREATE TABLE cursor (                          -- what each peer has delivered, per feed
                        peer       TEXT NOT NULL REFERENCES peer(name) ON DELETE CASCADE,
                        origin     TEXT NOT NULL,
                        channel    TEXT NOT NULL,
                        seq        INTEGER NOT NULL,               -- highest seq taken from this peer
                        peer_seq   INTEGER NOT NULL,               -- the peer's head when last asked
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (peer, origin, channel)
                    ) WITHOUT ROWID;
                    """)
            // Bundles stored before this step get their audience from their own (verified) payload.
            let rows = try Row.fetchAll(db, sql: "SELECT id, envelope FROM bundle")
            for row in rows {
                let bytes: Data = row["envelope"]
                let header = try ReceivedBundle(envelopeBytes: Array(bytes), limits: .standard).readHeader().header
                try db.execute(
                    sql: "UPDATE bundle SET audience = ? WHERE id = ?",
                    arguments: [try CanonicalJSON.string(header.audience.json), row["id"] as String])
            }
        }
        migrator.registerMigration("5-reports-in-arrival-order") { db in
            // Reports and indicators keyed by their (random) hashes put every insert on a random page of a table
            // of wide rows; at a few hundred thousand reports that working set outgrows the page cache and apply
            // slows down with the store's size. Rowid tables append; only the narrow key indexes are random. The
            // rowid is not a declared column, so checksums, queries and rebuilds see the same rows as before.
            try db.execute(
                sql: """
                    CREATE TABLE indicator_appended (
                        key   TEXT NOT NULL UNIQUE,              -- sha256(kind ‖ 0x00 ‖ value), hex
                        kind  TEXT NOT NULL,
                        value TEXT NOT NULL
                    );
                    INSERT INTO indicator_appended SELECT key, kind, value FROM indicator;
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE report_appended (
                        id              TEXT NOT NULL UNIQUE,
                        origin          TEXT NOT NULL,
                        channel         TEXT NOT NULL,
                        case_id         TEXT NOT NULL,
                        indicator_key   TEXT NOT NULL REFERENCES indicator_appended(key),
                        first_seen      TEXT NOT NULL,
                        last_seen       TEXT NOT NULL,
                        confidence      INTEGER NOT NULL,
                        labels          TEXT NOT NULL,
                        accounts_bucket INTEGER NOT NULL,
                        flagged_bucket  INTEGER NOT NULL,
                        bundle_id       TEXT NOT NULL,
                        retracted_by    TEXT
                    );
                    INSERT INTO report_appended SELECT * FROM report;
                    DROP TABLE report;
                    DROP TABLE indicator;
                    ALTER TABLE indicator_appended RENAME TO indicator;
                    ALTER TABLE report_appended RENAME TO report;
                    CREATE INDEX report_by_indicator ON report(indicator_key);
                    CREATE INDEX report_by_case ON report(origin, channel, case_id);
                    """)
        }
        migrator.registerMigration("6-analysts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE analyst (                         -- who may call the analyst API
                        name         TEXT PRIMARY KEY NOT NULL,
                        token_sha256 TEXT NOT NULL UNIQUE,         -- sha256(token), hex; the token itself is never stored
                        added_at     TEXT NOT NULL,
                        last_used_at TEXT
                    );
                    """)
        }
        migrator.registerMigration("7-saved-operations") { db in
            // The merge's last result, with the merged-view version it was computed from: a cache, not derived
            // data that nodes must agree on (it is left out of the checksums and of `weft verify`'s rebuild).
            try db.execute(
                sql: """
                    CREATE TABLE saved_operation (
                        position INTEGER PRIMARY KEY,               -- order in the list, largest first
                        id       TEXT NOT NULL,
                        body     TEXT NOT NULL                      -- JSON, docs/operations-format.md
                    );
                    CREATE TABLE saved_operation_state (
                        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
                        version     TEXT NOT NULL,                  -- merged-view version and merge policy
                        computed_at TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("8-hash-slots") { db in try slotHashKeyedTables(db) }
        migrator.registerMigration("9-retracted-reports") { db in
            // `weft status` and the analyst API count retracted reports; without an index that is a scan of
            // every report (2 s at ten million). Few reports are retracted, so the partial index is small and
            // only retractions write to it.
            try db.execute(
                sql: "CREATE INDEX report_retracted ON report (retracted_by) WHERE retracted_by IS NOT NULL")
        }
        migrator.registerMigration("10-case-slots") { db in try indexReportsByCaseSlot(db) }
        migrator.registerMigration("11-report-sequence") { db in try sequenceReports(db) }
        return migrator
    }

    /// The tables derived from bundles, which `weft verify` rebuilds, in an order where each table's foreign keys
    /// point only to tables before it (delete in reverse).
    static let derivedTables = ["indicator", "case_record", "report", "case_run", "retraction"]
}
