import GRDB
import WeftCore

/// What a node publishes in one go: new cases, reports and retractions for one of its feeds.
public struct Publication: Sendable {
    /// The feed's channel.
    public var channel: Channel
    /// The feed's audience.
    public var audience: Audience
    /// Cases to declare or update.
    public var cases: [Case]
    /// Reports.
    public var reports: [Report]
    /// Retractions.
    public var retractions: [Retraction]

    /// Creates a publication.
    public init(channel: Channel, audience: Audience, cases: [Case], reports: [Report], retractions: [Retraction] = [])
    {
        self.channel = channel
        self.audience = audience
        self.cases = cases
        self.reports = reports
        self.retractions = retractions
    }
}

extension NodeStore {
    /// Signs `publication` into bundles that continue `key`'s feed and applies them through the same verification
    /// pipeline as any received bundle, all in one transaction: either every bundle lands or none. The key is the
    /// node's own, or another origin the node holds the key of and has added to its trust table (an import).
    ///
    /// - Returns: the new bundles, in feed order.
    /// - Throws: ``BundleRejection`` if the records do not pass (for example a report naming an undeclared case).
    public func publish(_ publication: Publication, key: OriginKey) throws -> [SignedBundle] {
        do {
            return try database.write { db in
                let head = try FeedHead.fetch(db, origin: key.originID, channel: publication.channel)
                let builder = BundleBuilder(
                    key: key, channel: publication.channel, audience: publication.audience,
                    limits: limits)
                let bundles = builder.build(
                    after: head?.position, cases: publication.cases,
                    reports: publication.reports, retractions: publication.retractions,
                    created: Timestamp.string())
                for bundle in bundles {
                    let received = try ReceivedBundle(envelopeBytes: bundle.envelopeBytes, limits: limits)
                    guard case .applied = try intake(db, received, source: "publish") else {
                        throw BundleRejection(
                            .malformedPayload, "own bundle \(bundle.id.short) did not apply", bundleID: bundle.id)
                    }
                }
                return bundles
            }
        } catch let rejection as BundleRejection {
            try database.write { db in
                try AuditLog.append(
                    db, action: "bundle.publish", subject: rejection.bundleID?.hex ?? "-",
                    outcome: "rejected", reason: rejection.code.name, detail: rejection.message)
            }
            throw rejection
        }
    }
}
