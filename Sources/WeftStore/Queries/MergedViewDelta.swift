import GRDB
import WeftCore

/// Where a reader of the merged view got to: the newest bundle and report it has seen, and the state of origins
/// and peers (their status and trust) at that moment. ``NodeStore/mergedViewDelta(after:)`` reads what changed
/// since.
public struct MergedViewMark: Sendable, Hashable {
    /// Bundles applied, and the largest bundle rowid among them.
    var bundles: Int64 = 0
    var lastBundle: Int64 = 0
    /// The largest report rowid seen, and that report's id (a rebuilt table numbers its rows afresh).
    var lastReport: Int64 = 0
    var lastReportID = ""
    /// Digest of every origin's status and every peer's status and trust.
    var context = ""

    /// A reader that has seen nothing.
    public static let start = MergedViewMark()
}

/// What changed in the merged view between two marks, with report ids so that later retractions can name them.
/// A delta read from ``MergedViewMark/start`` (or from a mark that no longer fits the store: trust or an origin's
/// status changed, the derived tables were rebuilt) holds the whole view and has ``isComplete`` set.
public struct MergedViewDelta: Sendable {
    /// A case's identity.
    public struct CaseKey: Sendable, Hashable {
        public var origin: String
        public var channel: String
        public var caseID: String

        /// Creates a key.
        public init(origin: String, channel: String, caseID: String) {
            self.origin = origin
            self.channel = channel
            self.caseID = caseID
        }
    }

    /// A report now in the view. Its entry's `caseIndex` is not used: ``caseKey`` names the case.
    public struct Report: Sendable {
        public var id: String
        public var caseKey: CaseKey
        public var entry: MergedView.ReportEntry

        /// Creates a report.
        public init(id: String, caseKey: CaseKey, entry: MergedView.ReportEntry) {
            self.id = id
            self.caseKey = caseKey
            self.entry = entry
        }
    }

    /// Whether this is the whole view, to be applied to an empty state.
    public var isComplete: Bool
    /// Active origins' names, and their trust (as in ``MergedView``).
    public var originNames: [String: String]
    public var trust: [String: Double]
    /// Cases declared or restated, not retracted.
    public var cases: [MergedView.CaseEntry]
    /// Cases retracted, with all their reports.
    public var retractedCases: [CaseKey]
    /// Reports that arrived and were not retracted.
    public var reports: [Report]
    /// Ids of reports retracted (some may never have been seen: they arrived and left in the same interval).
    public var retractedReports: [String]
    /// Where this delta ends; the next one starts here.
    public var mark: MergedViewMark

    /// Creates a delta (tests build them by hand).
    public init(
        isComplete: Bool, originNames: [String: String], trust: [String: Double], cases: [MergedView.CaseEntry],
        retractedCases: [CaseKey] = [], reports: [Report], retractedReports: [String] = [],
        mark: MergedViewMark = .start
    ) {
        self.isComplete = isComplete
        self.originNames = originNames
        self.trust = trust
        self.cases = cases
        self.retractedCases = retractedCases
        self.reports = reports
        self.retractedReports = retractedReports
        self.mark = mark
    }
}

extension NodeStore {
    /// What changed in the merged view since `mark`, in one read transaction. New bundles, reports and
    /// retractions are found by rowid ranges; only the case table (small: one row per case) is read whole.
    public func mergedViewDelta(after mark: MergedViewMark) throws -> MergedViewDelta {
        try database.read { db in
            let (names, trust) = try Self.activeOrigins(db)
            let bundles = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(rowid), 0) FROM bundle")!
            let lastReport = try Row.fetchOne(
                db, sql: "SELECT rowid, id FROM report WHERE rowid = (SELECT max(rowid) FROM report)")
            let next = MergedViewMark(
                bundles: bundles[0], lastBundle: bundles[1], lastReport: lastReport?[0] ?? 0,
                lastReportID: lastReport?[1] ?? "", context: try Self.trustDigest(db))
            var from = mark
            if try !Self.fits(mark, next: next, db) { from = .start }
            return try Self.delta(db, from: from, to: next, names: names, trust: trust)
        }
    }

    /// Whether reading on from `mark` gives the current view: origins and peers as they were, no bundle gone,
    /// and the report rows the mark counted still numbered as they were.
    private static func fits(_ mark: MergedViewMark, next: MergedViewMark, _ db: Database) throws -> Bool {
        guard mark != .start, mark.context == next.context, mark.lastReport <= next.lastReport else { return false }
        let newer = try Int64.fetchOne(
            db, sql: "SELECT count(*) FROM bundle WHERE rowid > ?", arguments: [mark.lastBundle])
        guard mark.bundles + (newer ?? 0) == next.bundles else { return false }
        guard mark.lastReport > 0 else { return true }
        return try String.fetchOne(db, sql: "SELECT id FROM report WHERE rowid = ?", arguments: [mark.lastReport])
            == mark.lastReportID
    }

    private static func delta(
        _ db: Database, from: MergedViewMark, to next: MergedViewMark, names: [String: String],
        trust: [String: Double]
    ) throws -> MergedViewDelta {
        let complete = from == .start
        let newBundles = try String.fetchAll(
            db, sql: "SELECT id FROM bundle WHERE rowid > ?", arguments: [complete ? 0 : from.lastBundle])
        var delta = MergedViewDelta(
            isComplete: complete, originNames: names, trust: trust, cases: [], reports: [], mark: next)
        guard complete || !newBundles.isEmpty || next.lastReport > from.lastReport else { return delta }
        let fresh = Set(newBundles)
        let caseRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.origin, c.channel, c.case_id, c.status, c.labels, c.accounts_bucket, c.bundle_id
                FROM case_record c JOIN origin o ON o.id = c.origin
                WHERE o.status = 'active' AND c.retracted_by IS NULL
                """)
        while let row = try caseRows.next() {
            guard complete || fresh.contains(row["bundle_id"]) else { continue }
            delta.cases.append(
                MergedView.CaseEntry(
                    origin: row["origin"], channel: row["channel"], caseID: row["case_id"], status: row["status"],
                    labels: labels(row["labels"]), accountsBucket: row["accounts_bucket"]))
        }
        let reportRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.id, r.origin, r.channel, r.case_id, i.kind, i.value, r.first_seen, r.last_seen, r.confidence,
                       r.accounts_bucket, r.flagged_bucket
                FROM report r JOIN indicator i ON i.id = r.indicator_id
                WHERE r.rowid > ? AND r.retracted_by IS NULL
                """, arguments: [complete ? 0 : from.lastReport])
        while let row = try reportRows.next() {
            guard names[row["origin"]] != nil, let kind = IndicatorKind(rawValue: row["kind"]) else { continue }
            delta.reports.append(
                .init(
                    id: row["id"],
                    caseKey: .init(origin: row["origin"], channel: row["channel"], caseID: row["case_id"]),
                    entry: MergedView.ReportEntry(
                        caseIndex: -1, kind: kind, value: row["value"], firstSeen: row["first_seen"],
                        lastSeen: row["last_seen"], confidence: row["confidence"],
                        accountsBucket: row["accounts_bucket"], flaggedBucket: row["flagged_bucket"])))
        }
        guard !complete, !newBundles.isEmpty else { return delta }
        let retractions = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.origin, r.channel, r.target_type, r.target_id
                FROM retraction r JOIN bundle b ON b.id = r.bundle_id
                WHERE b.rowid > ?
                """, arguments: [from.lastBundle])
        while let row = try retractions.next() {
            if row["target_type"] as String == "case" {
                delta.retractedCases.append(
                    .init(origin: row["origin"], channel: row["channel"], caseID: row["target_id"]))
            } else {
                delta.retractedReports.append(row["target_id"])
            }
        }
        return delta
    }
}
