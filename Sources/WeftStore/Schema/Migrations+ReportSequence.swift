import GRDB

extension Migrations {
    /// Step 11: reports are numbered in arrival order (`report.seq`), a new indicator takes the seq of the report
    /// that brings it as its id, the by-indicator index holds only later reports of an indicator, and reports are
    /// found by case through runs (`case_run`) instead of an index entry each (``ReportWriter`` explains the
    /// layout; at a million reports it made the sync writer about a quarter cheaper, docs/benchmarks.md).
    ///
    /// The rows are copied through ``ReportWriter``, in their old arrival order, so they land exactly as if they
    /// had arrived under this layout. They come from the tables step 8 left behind (``slotHashKeyedTables(_:)``;
    /// rows from before step 8), then from the step-10 tables (rows written since).
    static func sequenceReports(_ db: Database) throws {
        // Index names are global: the old tables' indexes go before the new ones are made.
        try db.execute(
            sql: """
                DROP INDEX IF EXISTS report_by_indicator;
                DROP INDEX IF EXISTS report_by_case;
                DROP INDEX IF EXISTS report_retracted;
                """)
        try db.execute(
            sql: """
                ALTER TABLE report RENAME TO report_before_sequence;
                ALTER TABLE indicator RENAME TO indicator_before_sequence;
                """)
        var sources = ["report_before_sequence r JOIN indicator_before_sequence i ON i.id = r.indicator_id"]
        var oldTables = ["report_before_sequence", "indicator_before_sequence"]
        if try db.tableExists("report_before_slots") {  // older rows first
            sources.insert("report_before_slots r JOIN indicator_before_slots i ON i.key = r.indicator_key", at: 0)
            oldTables += ["report_before_slots", "indicator_before_slots"]
        }
        try createSequencedReportTables(db)
        var writer = try ReportWriter(db)
        for source in sources {
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.id, r.origin, r.channel, r.case_id, r.first_seen, r.last_seen, r.confidence, r.labels,
                           r.accounts_bucket, r.flagged_bucket, r.bundle_id, r.retracted_by,
                           i.key AS indicator_key, i.kind, i.value
                    FROM \(source) ORDER BY r.rowid
                    """)
            while let row = try rows.next() {
                let seq = try writer.append(
                    id: row["id"], home: HashSlot.home(hex: row["id"]), origin: row["origin"],
                    channel: row["channel"], caseID: row["case_id"],
                    caseSlot: HashSlot.caseSlot(origin: row["origin"], channel: row["channel"], caseID: row["case_id"]),
                    indicatorKey: row["indicator_key"], indicatorHome: HashSlot.home(hex: row["indicator_key"]),
                    kind: row["kind"], value: row["value"], firstSeen: row["first_seen"], lastSeen: row["last_seen"],
                    confidence: row["confidence"], labels: row["labels"], accountsBucket: row["accounts_bucket"],
                    flaggedBucket: row["flagged_bucket"], bundleID: row["bundle_id"])
                if let seq, let retractedBy = row["retracted_by"] as String? {
                    try db.execute(
                        sql: "UPDATE report SET retracted_by = ? WHERE seq = ?", arguments: [retractedBy, seq])
                }
            }
        }
        try writer.finish()
        for table in oldTables { try db.execute(sql: "DROP TABLE \(table)") }
    }

    /// The step-11 `indicator`, `report` and `case_run` tables and their indexes.
    private static func createSequencedReportTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE indicator (
                    id    INTEGER PRIMARY KEY,               -- local: the seq of the report that brought it
                    slot  INTEGER NOT NULL UNIQUE,           -- where the key sits (HashSlot): physical, not compared
                    key   TEXT NOT NULL,                     -- sha256(kind ‖ 0x00 ‖ value), hex
                    kind  TEXT NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE report (
                    seq             INTEGER PRIMARY KEY,     -- local, in arrival order: physical, not compared
                    slot            INTEGER NOT NULL UNIQUE, -- where the id sits (HashSlot): physical, not compared
                    id              TEXT NOT NULL,
                    origin          TEXT NOT NULL,
                    channel         TEXT NOT NULL,
                    case_id         TEXT NOT NULL,
                    indicator_id    INTEGER NOT NULL,        -- indicator.id; no REFERENCES (see step 8)
                    first_seen      TEXT NOT NULL,
                    last_seen       TEXT NOT NULL,
                    confidence      INTEGER NOT NULL,
                    labels          TEXT NOT NULL,
                    accounts_bucket INTEGER NOT NULL,
                    flagged_bucket  INTEGER NOT NULL,
                    bundle_id       TEXT NOT NULL,
                    retracted_by    TEXT,
                    case_slot       INTEGER NOT NULL         -- HashSlot.caseSlot of (origin, channel, case_id)
                );
                -- The report that brought an indicator has indicator_id = seq and is found by its seq instead.
                CREATE INDEX report_by_repeated_indicator ON report(indicator_id) WHERE indicator_id <> seq;
                CREATE INDEX report_retracted ON report(retracted_by) WHERE retracted_by IS NOT NULL;
                CREATE TABLE case_run (                      -- reports of one case with consecutive seqs
                    case_slot INTEGER NOT NULL,
                    first_seq INTEGER NOT NULL,
                    last_seq  INTEGER NOT NULL,
                    PRIMARY KEY (case_slot, first_seq)
                ) WITHOUT ROWID;
                """)
    }
}
