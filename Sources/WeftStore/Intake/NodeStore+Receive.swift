import Foundation
import GRDB
import Logging
import WeftCore

extension NodeStore {
    /// Verifies a received envelope and, if it passes, applies it — all in one transaction.
    ///
    /// The order is DESIGN.md §3's: size limits → envelope parse → origin known and not revoked → signature →
    /// `seq`/`prev` continuity → canonical form → audience → records → apply. A rejection throws
    /// ``BundleRejection``, is logged and written to the audit log, and leaves every other table as it was.
    /// Equivocation (a second bundle signed for a place the feed already holds) also quarantines the origin and
    /// keeps both bundles as proof. A bundle ahead of the feed is held back until the gap fills, then applied in
    /// order. Receiving a bundle already held changes nothing.
    ///
    /// - Parameter source: who delivered it (a peer name, a file), for the audit log.
    /// - Throws: ``BundleRejection``, or a database error if the store itself fails.
    @discardableResult
    public func receive(envelope bytes: [UInt8], source: String = "local") throws -> IntakeOutcome {
        // A batch of one: the same checks, audit and drain as any batch.
        try receive(batch: [bytes], source: source)[0].get()
    }

    /// Runs the pipeline inside an open write transaction. Also used by `publish`, which applies several of the
    /// node's own bundles in one transaction.
    func intake(_ db: Database, _ received: ReceivedBundle, source: String) throws -> IntakeStep {
        try intake(db, PreparedBundle(received: received, signerKey: nil, limits: limits), source: source)
    }

    /// The pipeline for a bundle whose stateless steps are done (``PreparedBundle``): their results are taken
    /// in the documented order, interleaved with the steps that need the database.
    func intake(_ db: Database, _ prepared: PreparedBundle, source: String) throws -> IntakeStep {
        let received = prepared.received
        guard let origin = try Self.originRecord(db, received.signer) else {
            throw BundleRejection(
                .unknownOrigin, "origin \(received.signer.short) is not a known origin", bundleID: received.id)
        }
        switch origin.status {
        case .active: break
        case .revoked:
            throw BundleRejection(.revokedOrigin, "origin '\(origin.name)' is revoked", bundleID: received.id)
        case .quarantined:
            throw BundleRejection(
                .quarantinedOrigin, "origin '\(origin.name)' is quarantined: \(origin.statusReason ?? "")",
                bundleID: received.id)
        }
        if let signature = prepared.signature {
            try signature.get()
        } else {
            try received.checkSignature(with: origin.publicKey)
        }
        let header = try prepared.header.get()

        let head = try FeedHead.fetch(db, origin: header.origin, channel: header.channel)
        let headSeq = head?.seq ?? 0
        let isGap = header.seq > headSeq + 1
        if header.seq <= headSeq {
            let held = try String.fetchOne(
                db, sql: "SELECT id FROM bundle WHERE origin = ? AND channel = ? AND seq = ?",
                arguments: [header.origin.hex, header.channel.name, header.seq])
            if held == received.id.hex { return .outcome(.duplicate(received.id)) }
            return .equivocation(
                try recordEquivocation(db, received, header: header, heldID: held ?? "?", origin: origin))
        }
        if header.seq == headSeq + 1, header.prev?.hex != head?.bundleID {
            return .equivocation(
                try recordEquivocation(
                    db, received, header: header, heldID: head?.bundleID ?? "?",
                    origin: origin))
        }
        if isGap {
            let pending = try String.fetchOne(
                db, sql: "SELECT id FROM pending_bundle WHERE origin = ? AND channel = ? AND seq = ?",
                arguments: [header.origin.hex, header.channel.name, header.seq])
            if pending == received.id.hex { return .outcome(.duplicate(received.id)) }
            if let pending {
                return .equivocation(
                    try recordEquivocation(db, received, header: header, heldID: pending, origin: origin))
            }
        }

        try prepared.canonical?.get()
        try received.checkAudience(header, node: node)
        guard let records = prepared.records else { preconditionFailure("records are read whenever the header is") }
        let payload = try records.get()

        if isGap {
            let held =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM pending_bundle WHERE origin = ? AND channel = ?",
                    arguments: [header.origin.hex, header.channel.name]) ?? 0
            guard held < limits.maximumHeldPerFeed else {
                throw BundleRejection(
                    .heldLimit,
                    "feed \(header.origin.short)/\(header.channel) already holds \(held) bundles waiting for seq "
                        + "\(headSeq + 1); send seq \(header.seq) again once the gap is filled",
                    bundleID: received.id)
            }
            try db.execute(
                sql: """
                    INSERT INTO pending_bundle (origin, channel, seq, id, envelope, received_at) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    header.origin.hex, header.channel.name, header.seq, received.id.hex,
                    Data(received.envelopeBytes), Timestamp.string(),
                ])
            try AuditLog.append(
                db, action: "bundle.receive", subject: received.id.hex, outcome: "held",
                reason: "gap", detail: "from \(source): seq \(header.seq) waits for seq \(headSeq + 1)")
            return .outcome(.heldBack(received.id, seq: header.seq, waitingFor: headSeq + 1))
        }

        try DerivedTables.checkReferences(db, payload: payload, bundleID: received.id)
        let audience = try CanonicalJSON.string(header.audience.json)
        try db.execute(
            sql: """
                INSERT INTO bundle (id, origin, channel, seq, envelope, received_at, audience)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                received.id.hex, header.origin.hex, header.channel.name, header.seq,
                Data(received.envelopeBytes), Timestamp.string(), audience,
            ])
        try FeedHead(
            origin: header.origin, channel: header.channel, seq: header.seq, bundleID: received.id.hex,
            audience: audience
        ).save(db)
        try DerivedTables.apply(db, payload: payload, bundleID: received.id, reportKeys: prepared.reportKeys)
        try db.execute(
            sql: "DELETE FROM pending_bundle WHERE origin = ? AND channel = ? AND seq = ?",
            arguments: [header.origin.hex, header.channel.name, header.seq])
        try AuditLog.append(
            db, action: "bundle.receive", subject: received.id.hex, outcome: "accepted",
            detail: "from \(source): \(header.channel) seq \(header.seq), \(payload.cases.count) cases, "
                + "\(payload.reports.count) reports, \(payload.retractions.count) retractions")
        return .applied(
            .applied(received.id, seq: header.seq, drained: 0), origin: header.origin, channel: header.channel)
    }

    /// Quarantines the origin and keeps both bundles: the one held (in `bundle` or `pending_bundle`) and the
    /// conflicting one (in `equivocation`).
    private func recordEquivocation(
        _ db: Database, _ received: ReceivedBundle, header: BundleHeader, heldID: String,
        origin: OriginRecord
    ) throws -> BundleRejection {
        let message =
            "origin '\(origin.name)' signed bundle \(received.id.short) for \(header.channel) seq \(header.seq), "
            + "where bundle \(heldID.prefix(12)) is held (or its prev does not match)"
        try db.execute(
            sql: """
                INSERT INTO equivocation (origin, channel, seq, held_bundle_id, conflicting_id, conflicting_envelope, detected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                header.origin.hex, header.channel.name, header.seq, heldID, received.id.hex,
                Data(received.envelopeBytes), Timestamp.string(),
            ])
        try db.execute(
            sql: "UPDATE origin SET status = 'quarantined', status_reason = ? WHERE id = ?",
            arguments: ["equivocation at \(header.channel) seq \(header.seq)", header.origin.hex])
        try AuditLog.append(
            db, action: "origin.quarantine", subject: header.origin.hex, outcome: "changed",
            reason: BundleRejection.Code.equivocation.name, detail: message)
        return BundleRejection(.equivocation, message, bundleID: received.id)
    }

    /// Applies held bundles that now follow the feed's head, in order. A held bundle that fails is dropped from
    /// the pending table and audited; the feed waits for a valid one.
    func drainPending(after seq: Int, origin: OriginID, channel: Channel, source: String) throws -> Int {
        var next = seq + 1
        var drained = 0
        while let envelope = try database.read({ db in
            try Data.fetchOne(
                db, sql: "SELECT envelope FROM pending_bundle WHERE origin = ? AND channel = ? AND seq = ?",
                arguments: [origin.hex, channel.name, next])
        }) {
            do {
                let received = try ReceivedBundle(envelopeBytes: Array(envelope), limits: limits)
                let step = try database.write { db in try self.intake(db, received, source: "\(source) (held)") }
                guard case .applied = step else { break }
                drained += 1
                next += 1
            } catch let rejection as BundleRejection {
                try database.write { db in
                    try auditRejection(rejection, source: "\(source) (held)", in: db)
                    try db.execute(
                        sql: "DELETE FROM pending_bundle WHERE origin = ? AND channel = ? AND seq = ?",
                        arguments: [origin.hex, channel.name, next])
                }
                break
            }
        }
        return drained
    }
}
