import GRDB

extension Migrations {
    /// Step 8: indicators and reports are found through integer hash slots (``HashSlot``) instead of unique
    /// indexes over hex keys, and reports point at their indicator's local id.
    ///
    /// This step makes the step-8 tables empty and leaves the rows where they were, renamed
    /// `indicator_before_slots` and `report_before_slots`: step 11 copies them through the writer of the layout it
    /// makes (``ReportWriter``), so that they land exactly as if they had arrived under it. (Until step 11 existed,
    /// this step copied them itself, through the writer of its own time.)
    ///
    /// `report.indicator_id` declares no foreign key: SQLite would look the indicator up again for every report
    /// (measured: a tenth of the insert's cost), and the only writer takes the id from the row it has just found
    /// or inserted in the same transaction. `weft verify` compares a rebuild through the join, which would show a
    /// dangling id as a difference.
    static func slotHashKeyedTables(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX report_by_indicator;
                DROP INDEX report_by_case;
                ALTER TABLE report RENAME TO report_before_slots;
                ALTER TABLE indicator RENAME TO indicator_before_slots;
                CREATE TABLE indicator (
                    id    INTEGER PRIMARY KEY,               -- local, in arrival order: reports point here
                    slot  INTEGER NOT NULL UNIQUE,           -- where the key sits (HashSlot): physical, not compared
                    key   TEXT NOT NULL,                     -- sha256(kind ‖ 0x00 ‖ value), hex
                    kind  TEXT NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE report (
                    slot            INTEGER NOT NULL UNIQUE, -- where the id sits (HashSlot): physical, not compared
                    id              TEXT NOT NULL,
                    origin          TEXT NOT NULL,
                    channel         TEXT NOT NULL,
                    case_id         TEXT NOT NULL,
                    indicator_id    INTEGER NOT NULL,         -- indicator.id; no REFERENCES, see below
                    first_seen      TEXT NOT NULL,
                    last_seen       TEXT NOT NULL,
                    confidence      INTEGER NOT NULL,
                    labels          TEXT NOT NULL,
                    accounts_bucket INTEGER NOT NULL,
                    flagged_bucket  INTEGER NOT NULL,
                    bundle_id       TEXT NOT NULL,
                    retracted_by    TEXT,
                    case_slot       INTEGER NOT NULL DEFAULT 0 -- since migration 10 (HashSlot.caseSlot)
                );
                CREATE INDEX report_by_indicator ON report(indicator_id);
                CREATE INDEX report_by_case ON report(origin, channel, case_id);
                """)
    }
}

extension Migrations {
    /// Step 10: reports are found by case through an integer index on `case_slot` (``HashSlot/caseSlot``) instead
    /// of one on `(origin, channel, case_id)`. Stores created before step 10 get the column here; step 8 now
    /// creates it, so a store migrated from before step 8 already has it.
    static func indexReportsByCaseSlot(_ db: Database) throws {
        if try !db.columns(in: "report").contains(where: { $0.name == "case_slot" }) {
            try db.execute(sql: "ALTER TABLE report ADD COLUMN case_slot INTEGER NOT NULL DEFAULT 0")
        }
        db.add(
            function: DatabaseFunction("weft_case_slot", argumentCount: 3, pure: true) { values in
                guard let origin = String.fromDatabaseValue(values[0]),
                    let channel = String.fromDatabaseValue(values[1]),
                    let caseID = String.fromDatabaseValue(values[2])
                else { return nil }
                return HashSlot.caseSlot(origin: origin, channel: channel, caseID: caseID)
            })
        try db.execute(
            sql: """
                UPDATE report SET case_slot = weft_case_slot(origin, channel, case_id);
                DROP INDEX report_by_case;
                CREATE INDEX report_by_case ON report(case_slot);
                """)
    }
}
