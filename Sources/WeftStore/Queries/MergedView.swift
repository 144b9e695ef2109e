import GRDB
import WeftCore

/// Everything the merge reads from a node: the cases and reports in the merged view (not retracted, origin
/// active), each origin's name and the trust this node gives it.
public struct MergedView: Sendable {
    /// One case, as its origin declared it.
    public struct CaseEntry: Sendable, Hashable {
        public var origin: String
        public var channel: String
        public var caseID: String
        public var status: String
        public var labels: [String]
        /// Log₂ bucket of the case's account count.
        public var accountsBucket: Int

        /// Creates an entry.
        public init(
            origin: String, channel: String, caseID: String, status: String, labels: [String], accountsBucket: Int
        ) {
            self.origin = origin
            self.channel = channel
            self.caseID = caseID
            self.status = status
            self.labels = labels
            self.accountsBucket = accountsBucket
        }
    }

    /// One report, with its indicator spelled out.
    public struct ReportEntry: Sendable, Hashable {
        /// Index into ``cases``.
        public var caseIndex: Int
        public var kind: IndicatorKind
        public var value: String
        public var firstSeen: String
        public var lastSeen: String
        public var confidence: Int
        public var accountsBucket: Int
        public var flaggedBucket: Int

        /// Creates an entry.
        public init(
            caseIndex: Int, kind: IndicatorKind, value: String, firstSeen: String, lastSeen: String, confidence: Int,
            accountsBucket: Int, flaggedBucket: Int
        ) {
            self.caseIndex = caseIndex
            self.kind = kind
            self.value = value
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.confidence = confidence
            self.accountsBucket = accountsBucket
            self.flaggedBucket = flaggedBucket
        }
    }

    public var cases: [CaseEntry]
    public var reports: [ReportEntry]
    /// Origin id → name.
    public var originNames: [String: String]
    /// Origin id → trust weight 0–1: the policy of the peer bound to the origin, else 1 (own and relayed origins).
    public var trust: [String: Double]

    /// Creates a view (the merge benchmark builds one in memory from ingest results).
    public init(cases: [CaseEntry], reports: [ReportEntry], originNames: [String: String], trust: [String: Double]) {
        self.cases = cases
        self.reports = reports
        self.originNames = originNames
        self.trust = trust
    }
}

extension NodeStore {
    /// Reads the merged view in one read transaction, so it is a consistent snapshot.
    public func mergedView() throws -> MergedView {
        try database.read { db in
            let (names, trust) = try Self.activeOrigins(db)
            var cases: [MergedView.CaseEntry] = []
            var caseIndex: [String: Int] = [:]
            let caseRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.origin, c.channel, c.case_id, c.status, c.labels, c.accounts_bucket
                    FROM case_record c JOIN origin o ON o.id = c.origin
                    WHERE o.status = 'active' AND c.retracted_by IS NULL
                    ORDER BY c.origin, c.channel, c.case_id
                    """)
            while let row = try caseRows.next() {
                let entry = MergedView.CaseEntry(
                    origin: row["origin"], channel: row["channel"], caseID: row["case_id"], status: row["status"],
                    labels: Self.labels(row["labels"]), accountsBucket: row["accounts_bucket"])
                caseIndex["\(entry.origin)\u{0}\(entry.channel)\u{0}\(entry.caseID)"] = cases.count
                cases.append(entry)
            }
            var reports: [MergedView.ReportEntry] = []
            let reportRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.origin, r.channel, r.case_id, i.kind, i.value, r.first_seen, r.last_seen, r.confidence,
                           r.accounts_bucket, r.flagged_bucket
                    FROM report r JOIN indicator i ON i.id = r.indicator_id
                    WHERE r.retracted_by IS NULL
                    ORDER BY r.origin, r.channel, r.case_id, i.kind, i.value
                    """)
            while let row = try reportRows.next() {
                let key = "\(row["origin"] as String)\u{0}\(row["channel"] as String)\u{0}\(row["case_id"] as String)"
                guard let index = caseIndex[key], let kind = IndicatorKind(rawValue: row["kind"]) else { continue }
                reports.append(
                    MergedView.ReportEntry(
                        caseIndex: index, kind: kind, value: row["value"], firstSeen: row["first_seen"],
                        lastSeen: row["last_seen"], confidence: row["confidence"],
                        accountsBucket: row["accounts_bucket"],
                        flaggedBucket: row["flagged_bucket"]))
            }
            return MergedView(cases: cases, reports: reports, originNames: names, trust: trust)
        }
    }

    /// Active origins' names, and the trust this node gives each: the policy of the peer bound to it, else 1.
    static func activeOrigins(_ db: Database) throws -> (names: [String: String], trust: [String: Double]) {
        var names: [String: String] = [:]
        var trust: [String: Double] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM origin WHERE status = 'active'") {
            names[row["id"]] = row["name"]
            trust[row["id"]] = 1
        }
        for row in try Row.fetchAll(db, sql: "SELECT origin, trust FROM peer WHERE origin IS NOT NULL") {
            let origin: String = row["origin"]
            if trust[origin] != nil { trust[origin] = row["trust"] }
        }
        return (names, trust)
    }

    /// Digest of every origin's status and every peer's status and trust: what the merged view depends on
    /// besides the bundles.
    static func trustDigest(_ db: Database) throws -> String {
        let origins =
            try String.fetchOne(db, sql: "SELECT coalesce(group_concat(id || ':' || status, ','), '') FROM origin")
            ?? ""
        let peers =
            try String.fetchOne(
                db, sql: "SELECT coalesce(group_concat(name || ':' || status || ':' || trust, ','), '') FROM peer")
            ?? ""
        return Hex.sha256(Array((origins + "|" + peers).utf8))
    }

    static func labels(_ text: String) -> [String] {
        (try? JSONParser.parse(text))?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

extension NodeStore {
    /// A value that changes whenever the merged view may have: a bundle arrived (cases, reports and retractions
    /// only come in bundles), an origin changed status, or a peer's trust or status changed. Cheap to read; the
    /// analyst API recomputes the merge only when it changes.
    public func mergedViewVersion() throws -> String {
        try database.read { db in
            let bundles = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(rowid), 0) FROM bundle")!
            return "\(bundles[0] as Int)/\(bundles[1] as Int)/\(try Self.trustDigest(db))"
        }
    }
}
