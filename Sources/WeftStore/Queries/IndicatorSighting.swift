import GRDB
import WeftCore

/// One origin's report of an indicator, as an analyst sees it.
public struct IndicatorSighting: Sendable, Codable, Hashable {
    /// The report id.
    public var reportID: String
    /// The reporting origin's id.
    public var origin: String
    /// The reporting origin's name in this node's trust table.
    public var originName: String
    /// The origin's trust status here.
    public var originStatus: String
    /// The feed's channel.
    public var channel: String
    /// The origin's case id.
    public var caseID: String
    /// The case's status.
    public var caseStatus: String
    /// First and last day seen.
    public var firstSeen: String
    public var lastSeen: String
    /// Confidence 0–100.
    public var confidence: Int
    /// Labels of the report.
    public var labels: [String]
    /// Prevalence buckets on the origin's platform, shown as ranges.
    public var postingAccounts: String
    public var flaggedAccounts: String
    /// The bundle that carried the report.
    public var bundleID: String
    /// The retracting bundle, if the report or its case was retracted.
    public var retractedBy: String?

    /// True when the report counts in the merged view: not retracted, and its origin is active.
    public var isInMergedView: Bool { retractedBy == nil && originStatus == OriginRecord.Status.active.rawValue }
}

extension NodeStore {
    /// Every report of an indicator held by this node. With `includeWithdrawn` false (the merged view),
    /// retracted reports and reports from quarantined or revoked origins are left out.
    public func sightings(of indicator: Indicator, includeWithdrawn: Bool = false) throws -> [IndicatorSighting] {
        try database.read { db in
            guard let indicatorID = try HashSlot.indicatorID(db, key: indicator.key) else { return [] }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, o.name AS origin_name, o.status AS origin_status, c.status AS case_status
                    FROM report r
                    JOIN origin o ON o.id = r.origin
                    JOIN case_record c ON c.origin = r.origin AND c.channel = r.channel AND c.case_id = r.case_id
                    WHERE \(ReportLookup.ofIndicator)
                    ORDER BY o.name, r.channel, r.case_id, r.first_seen, r.id
                    """, arguments: ["indicator": indicatorID])
            return rows.map { row in
                let labels =
                    (try? JSONParser.parse(row["labels"] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
                return IndicatorSighting(
                    reportID: row["id"], origin: row["origin"], originName: row["origin_name"],
                    originStatus: row["origin_status"], channel: row["channel"], caseID: row["case_id"],
                    caseStatus: row["case_status"], firstSeen: row["first_seen"], lastSeen: row["last_seen"],
                    confidence: row["confidence"], labels: labels,
                    postingAccounts: (try? PrevalenceBucket(index: row["accounts_bucket"]))?.description ?? "?",
                    flaggedAccounts: (try? PrevalenceBucket(index: row["flagged_bucket"]))?.description ?? "?",
                    bundleID: row["bundle_id"], retractedBy: row["retracted_by"])
            }.filter { includeWithdrawn || $0.isInMergedView }
        }
    }
}

/// An indicator reported in the same cases as another one.
public struct CooccurringIndicator: Sendable, Codable, Hashable {
    public var kind: String
    public var value: String
    /// How many of the cases that reported the first indicator also reported this one.
    public var cases: Int

    /// Creates an entry.
    public init(kind: String, value: String, cases: Int) {
        self.kind = kind
        self.value = value
        self.cases = cases
    }
}

extension NodeStore {
    /// The indicators most often reported in the same cases as `indicator`, in the merged view (retracted reports
    /// and quarantined or revoked origins left out): most shared cases first, ties in the order of their keys.
    public func cooccurring(with indicator: Indicator, limit: Int = 10) throws -> [CooccurringIndicator] {
        try database.read { db in
            guard let indicatorID = try HashSlot.indicatorID(db, key: indicator.key) else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    WITH cases AS (
                        SELECT DISTINCT r.case_slot, r.origin, r.channel, r.case_id
                        FROM report r JOIN origin o ON o.id = r.origin
                        WHERE \(ReportLookup.ofIndicator) AND r.retracted_by IS NULL AND o.status = 'active'
                    ), pairs AS (
                        SELECT DISTINCT r.indicator_id, r.origin, r.channel, r.case_id
                        FROM cases c
                        \(ReportLookup.reportsOfCase)
                        WHERE r.indicator_id != :indicator AND r.retracted_by IS NULL
                    ), shared AS (
                        SELECT indicator_id, count(*) AS shared FROM pairs GROUP BY indicator_id
                    )
                    SELECT i.kind, i.value, s.shared
                    FROM shared s JOIN indicator i ON i.id = s.indicator_id
                    ORDER BY s.shared DESC, i.key
                    LIMIT :limit
                    """, arguments: ["indicator": indicatorID, "limit": limit]
            ).map { CooccurringIndicator(kind: $0["kind"], value: $0["value"], cases: $0["shared"]) }
        }
    }
}
