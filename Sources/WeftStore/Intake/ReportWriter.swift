import GRDB
import GRDBSQLite

/// Appends reports, with their indicators and case runs, to the derived tables (schema step 11); intake, rebuild
/// and the step-11 migration all write through it.
///
/// Each report is numbered in arrival order (`report.seq`), and the layout spends as few B-tree entries per report
/// as it can, because at a million reports the writer's time is almost all SQLite's index work (docs/benchmarks.md):
/// - Indicators and reports are found by their hash slots (``HashSlot``).
/// - A new indicator takes the seq of the report that brings it as its id, so that report is found from the
///   indicator by its seq; only reports of an indicator held already have an entry in the by-indicator index
///   (`report_by_repeated_indicator`, partial: `indicator_id <> seq`). ``ReportLookup/ofIndicator`` reads both.
/// - Reports of one case that arrive one after another share one `case_run` row (case slot, first and last seq)
///   instead of one index entry each. ``finish()`` writes the last run; a writer that is not finished loses it.
///
/// One writer serves one transaction; its methods are `mutating` because it refills one buffer of text
/// parameters for every row and keeps the seq counter and the open run.
struct ReportWriter {
    private let insertIndicator: BoundStatement
    private let indicatorAtSlot: BoundStatement
    private let insertReport: BoundStatement
    private let reportAtSlot: BoundStatement
    private let insertRun: BoundStatement
    private var texts = TextParameters()
    /// The seq the next report gets, and the id of the next new indicator. Both tables are read, so that rows
    /// written by other means (tests plant some) can never make an id collide.
    private var nextSeq: Int64
    private var run: (caseSlot: Int64, first: Int64, last: Int64)?

    init(_ db: Database) throws {
        insertIndicator = try BoundStatement(
            db,
            sql: """
                INSERT INTO indicator (id, slot, key, kind, value) VALUES (?, ?, ?, ?, ?) ON CONFLICT (slot) DO NOTHING
                """)
        indicatorAtSlot = try BoundStatement(db, sql: "SELECT id, key FROM indicator WHERE slot = ?")
        insertReport = try BoundStatement(
            db,
            sql: """
                INSERT INTO report (seq, slot, id, origin, channel, case_id, indicator_id, first_seen, last_seen,
                                    confidence, labels, accounts_bucket, flagged_bucket, bundle_id, case_slot)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (slot) DO NOTHING
                """)
        reportAtSlot = try BoundStatement(db, sql: "SELECT id FROM report WHERE slot = ?")
        insertRun = try BoundStatement(
            db, sql: "INSERT INTO case_run (case_slot, first_seq, last_seq) VALUES (?, ?, ?)")
        nextSeq =
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(coalesce((SELECT max(seq) FROM report), 0), coalesce((SELECT max(id) FROM indicator), 0)) + 1
                    """) ?? 1
    }

    /// Appends a report unless one with its id is held already (the first copy stays), inserting its indicator
    /// if new. Returns the report's seq, or nil for a copy.
    ///
    /// The values come as parameters in the table's column order: a row struct built per report copied (retained)
    /// its strings, where parameters only borrow them. `home` and `indicatorHome` are the ``HashSlot/home(hex:)``
    /// of `id` and `indicatorKey`; `caseSlot` is ``HashSlot/caseSlot(origin:channel:caseID:)`` of the case.
    mutating func append(
        id: String, home: Int64, origin: String, channel: String, caseID: String, caseSlot: Int64,
        indicatorKey: String, indicatorHome: Int64, kind: String, value: String,
        firstSeen: String, lastSeen: String, confidence: Int64, labels: String, accountsBucket: Int64,
        flaggedBucket: Int64, bundleID: String
    ) throws -> Int64? {
        let seq = nextSeq
        let (indicatorID, isNew) = try indicator(
            id: seq, key: indicatorKey, home: indicatorHome, kind: kind, value: value)
        let inserted = try report(
            seq: seq, id: id, home: home, origin: origin, channel: channel, caseID: caseID,
            indicatorID: indicatorID, firstSeen: firstSeen, lastSeen: lastSeen, confidence: confidence,
            labels: labels, accountsBucket: accountsBucket, flaggedBucket: flaggedBucket, bundleID: bundleID,
            caseSlot: caseSlot)
        // A new indicator keeps the seq as its id even if the report turns out to be a copy (which a sound store
        // cannot hold: a report's id covers its indicator), so the number is never handed out twice.
        guard inserted || isNew else { return nil }
        nextSeq += 1
        guard inserted else { return nil }
        if let open = run, open.caseSlot == caseSlot, open.last == seq - 1 {
            run = (caseSlot, open.first, seq)
        } else {
            try writeRun()
            run = (caseSlot, seq, seq)
        }
        return seq
    }

    /// Writes the open case run. Call once after the last ``append``, before the transaction commits.
    mutating func finish() throws {
        try writeRun()
    }

    private mutating func writeRun() throws {
        guard let open = run else { return }
        insertRun.bind(1, open.caseSlot)
        insertRun.bind(2, open.first)
        insertRun.bind(3, open.last)
        texts.removeAll()
        _ = try insertRun.execute(texts)
        run = nil
    }

    /// The local id of the indicator with `key`, inserting it with id `id` if new.
    private mutating func indicator(
        id: Int64, key: String, home: Int64, kind: String, value: String
    ) throws -> (id: Int64, isNew: Bool) {
        texts.removeAll()
        texts.append(3, key)
        texts.append(4, kind)
        texts.append(5, value)
        for slot in home..<home + HashSlot.probes {
            insertIndicator.bind(1, id)
            insertIndicator.bind(2, slot)
            if try insertIndicator.execute(texts) == 1 { return (id, true) }
            indicatorAtSlot.bind(1, slot)
            var held: (id: Int64, key: String)?
            try indicatorAtSlot.forEachRow { row in
                held = (sqlite3_column_int64(row, 0), BoundStatement.text(row, 1))
                return false
            }
            if let held, held.key == key { return (held.id, false) }
        }
        throw HashSlot.exhausted("indicator", key: key)
    }

    /// Inserts a report at the first free slot from `home`; false if a report with its id is held already.
    private mutating func report(
        seq: Int64, id: String, home: Int64, origin: String, channel: String, caseID: String, indicatorID: Int64,
        firstSeen: String, lastSeen: String, confidence: Int64, labels: String, accountsBucket: Int64,
        flaggedBucket: Int64, bundleID: String, caseSlot: Int64
    ) throws -> Bool {
        texts.removeAll()
        texts.append(3, id)
        texts.append(4, origin)
        texts.append(5, channel)
        texts.append(6, caseID)
        texts.append(8, firstSeen)
        texts.append(9, lastSeen)
        texts.append(11, labels)
        texts.append(14, bundleID)
        for slot in home..<home + HashSlot.probes {
            // Every execution clears the bindings, texts and integers alike: bind them all for each probe.
            insertReport.bind(1, seq)
            insertReport.bind(2, slot)
            insertReport.bind(7, indicatorID)
            insertReport.bind(10, confidence)
            insertReport.bind(12, accountsBucket)
            insertReport.bind(13, flaggedBucket)
            insertReport.bind(15, caseSlot)
            if try insertReport.execute(texts) == 1 { return true }
            reportAtSlot.bind(1, slot)
            var heldID: String?
            try reportAtSlot.forEachRow { statement in
                heldID = BoundStatement.text(statement, 0)
                return false
            }
            if heldID == id { return false }
        }
        throw HashSlot.exhausted("report", key: id)
    }
}

/// SQL for finding reports in the step-11 layout (``ReportWriter``), for queries written with `report r`.
enum ReportLookup {
    /// A condition selecting the reports of the indicator whose local id is the named argument `:indicator`: the
    /// report that brought it (its seq is the indicator's id) and the later ones (the partial index).
    static let ofIndicator = """
        r.seq IN (
            SELECT :indicator UNION ALL
            SELECT seq FROM report WHERE indicator_id = :indicator AND indicator_id <> seq
        ) AND r.indicator_id = :indicator
        """

    /// A join from a row `c` with `case_slot`, `origin`, `channel` and `case_id` columns to that case's reports
    /// `r`, through their runs.
    static let reportsOfCase = """
        JOIN case_run run ON run.case_slot = c.case_slot
        JOIN report r ON r.seq BETWEEN run.first_seq AND run.last_seq
                     AND r.origin = c.origin AND r.channel = c.channel AND r.case_id = c.case_id
        """
}
