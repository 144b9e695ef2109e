import GRDB
import WeftCore

/// Writes a verified payload into the derived tables. Intake and rebuild share this one function, which is
/// why a rebuild from bundles alone equals the incremental state.
enum DerivedTables {
    /// - Parameter reportKeys: each report's id and indicator key, if already computed (``PreparedBundle``).
    static func apply(
        _ db: Database, payload: BundlePayload, bundleID: BundleID, reportKeys: [ReportKeys] = []
    ) throws {
        let origin = payload.header.origin.hex
        let channel = payload.header.channel.name
        let upsertCase = try db.cachedStatement(
            sql: """
                INSERT INTO case_record (origin, channel, case_id, status, labels, accounts_bucket, bundle_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (origin, channel, case_id) DO UPDATE SET
                    status = excluded.status, labels = excluded.labels,
                    accounts_bucket = excluded.accounts_bucket, bundle_id = excluded.bundle_id
                """)
        for record in payload.cases {
            try upsertCase.execute(arguments: [
                origin, channel, record.id.text, record.status.rawValue,
                labelsText(record.labels), record.accounts.index, bundleID.hex,
            ])
        }
        var writer = try ReportWriter(db)
        let bundle = bundleID.hex
        let feedPrefix = Report.idPrefix(origin: payload.header.origin, channel: payload.header.channel)
        let keys =
            reportKeys.count == payload.reports.count
            ? reportKeys
            : payload.reports.map {
                ReportKeys(id: $0.idDigest(feedPrefix: feedPrefix), indicatorKey: $0.indicator.keyDigest)
            }
        var lastCase: (id: CaseID, slot: Int64)?  // reports come grouped by case: hash each case once per run
        // Reports are read in place: iterating the arrays (`zip`) copied every report, retaining and releasing
        // each of its strings, which was a twentieth of the writer's time.
        try payload.reports.withUnsafeBufferPointer { reports in
            try keys.withUnsafeBufferPointer { keys in
                for index in reports.indices {
                    let caseSlot: Int64
                    if let lastCase, lastCase.id == reports[index].caseID {
                        caseSlot = lastCase.slot
                    } else {
                        caseSlot = HashSlot.caseSlot(
                            origin: origin, channel: channel, caseID: reports[index].caseID.text)
                        lastCase = (reports[index].caseID, caseSlot)
                    }
                    _ = try writer.append(
                        id: keys[index].id, home: HashSlot.home(leadingBits: keys[index].idLeadingBits),
                        origin: origin, channel: channel, caseID: reports[index].caseID.text, caseSlot: caseSlot,
                        indicatorKey: keys[index].indicatorKey,
                        indicatorHome: HashSlot.home(leadingBits: keys[index].indicatorLeadingBits),
                        kind: reports[index].indicator.kind.rawValue, value: reports[index].indicator.value,
                        firstSeen: reports[index].firstSeen.text, lastSeen: reports[index].lastSeen.text,
                        confidence: Int64(reports[index].confidence), labels: labelsText(reports[index].labels),
                        accountsBucket: Int64(reports[index].postingAccounts.index),
                        flaggedBucket: Int64(reports[index].flaggedAccounts.index), bundleID: bundle)
                }
            }
        }
        try writer.finish()
        for (position, retraction) in payload.retractions.enumerated() {
            let (type, target): (String, String) =
                switch retraction.target {
                case .caseID(let id): ("case", id.text)
                case .report(let id): ("report", id)
                }
            try db.execute(
                sql: """
                    INSERT INTO retraction (bundle_id, position, origin, channel, target_type, target_id, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [bundleID.hex, position, origin, channel, type, target, retraction.reason.rawValue])
            if type == "case" {
                try db.execute(
                    sql: """
                        UPDATE case_record SET retracted_by = ?
                        WHERE origin = ? AND channel = ? AND case_id = ? AND retracted_by IS NULL
                        """, arguments: [bundleID.hex, origin, channel, target])
                try db.execute(
                    sql: """
                        UPDATE report SET retracted_by = ?
                        FROM case_run run
                        WHERE run.case_slot = ? AND report.seq BETWEEN run.first_seq AND run.last_seq
                          AND report.origin = ? AND report.channel = ? AND report.case_id = ?
                          AND report.retracted_by IS NULL
                        """,
                    arguments: [
                        bundleID.hex, HashSlot.caseSlot(origin: origin, channel: channel, caseID: target), origin,
                        channel, target,
                    ])
            } else {
                let slot = HashSlot.home(hex: target)
                try db.execute(
                    sql: """
                        UPDATE report SET retracted_by = ?
                        WHERE slot >= ? AND slot < ? AND id = ? AND origin = ? AND channel = ? AND retracted_by IS NULL
                        """, arguments: [bundleID.hex, slot, slot + HashSlot.probes, target, origin, channel])
            }
        }
    }

    static func labelsText(_ labels: [Label]) -> String {
        labels.isEmpty ? "[]" : try! CanonicalJSON.string(.array(labels.map { .string($0.text) }))
    }

    /// Checks what a payload refers to against the feed's earlier bundles: reports name cases declared in this
    /// feed and not retracted; retractions name cases or reports of this feed. Throws ``BundleRejection`` for a
    /// bad reference and passes database errors through.
    static func checkReferences(_ db: Database, payload: BundlePayload, bundleID: BundleID) throws {
        let origin = payload.header.origin.hex
        let channel = payload.header.channel.name
        let declaredHere = Set(payload.cases.map(\.id))
        let caseState = try db.cachedStatement(
            sql: """
                SELECT retracted_by IS NOT NULL FROM case_record WHERE origin = ? AND channel = ? AND case_id = ?
                """)
        var known: [CaseID: Bool] = [:]  // case id → retracted
        func retracted(_ id: CaseID) throws -> Bool? {
            if let state = known[id] { return state }
            let state = try Bool.fetchOne(caseState, arguments: [origin, channel, id.text])
            known[id] = state
            return state
        }
        var lastChecked: CaseID?  // reports come grouped by case: most repeat the one before
        for index in payload.reports.indices {
            let caseID = payload.reports[index].caseID
            if caseID == lastChecked { continue }
            let state = try retracted(caseID)
            if state == true {
                throw BundleRejection(
                    .invalidRecord, "reports[\(index)]: case \(caseID) was retracted", bundleID: bundleID)
            }
            if state == nil && !declaredHere.contains(caseID) {
                throw BundleRejection(
                    .invalidRecord,
                    "reports[\(index)]: case \(caseID) is not declared in feed \(payload.header.channel)",
                    bundleID: bundleID)
            }
            lastChecked = caseID
        }
        guard !payload.retractions.isEmpty else { return }
        let reportsHere = Set(
            payload.reports.map { $0.id(origin: payload.header.origin, channel: payload.header.channel) })
        for (index, retraction) in payload.retractions.enumerated() {
            switch retraction.target {
            case .caseID(let id):
                if try retracted(id) == nil && !declaredHere.contains(id) {
                    throw BundleRejection(
                        .invalidRecord, "retractions[\(index)]: case \(id) is not in this feed", bundleID: bundleID)
                }
            case .report(let id):
                let exists = try HashSlot.reportExists(db, id: id, origin: origin, channel: channel)
                if !exists && !reportsHere.contains(id) {
                    throw BundleRejection(
                        .invalidRecord, "retractions[\(index)]: report \(id.prefix(12)) is not in this feed",
                        bundleID: bundleID)
                }
            }
        }
    }
}
