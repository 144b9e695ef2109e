/// Turns an origin's new cases, reports and retractions into signed bundles that continue one of its feeds.
///
/// Records are split so that no bundle exceeds the limits; each report travels in the same bundle as (or a later
/// one than) the case it belongs to, and retractions go last. Bundles chain: `seq` rises by one and `prev`
/// names the previous bundle.
public struct BundleBuilder: Sendable {
    /// The signing key.
    public let key: OriginKey
    /// The feed's channel.
    public let channel: Channel
    /// The feed's audience.
    public let audience: Audience
    /// The limits every bundle must meet.
    public let limits: BundleLimits

    /// Creates a builder.
    public init(key: OriginKey, channel: Channel, audience: Audience, limits: BundleLimits = .standard) {
        self.key = key
        self.channel = channel
        self.audience = audience
        self.limits = limits
    }

    /// Builds the bundles that follow `head` (nil for a new feed).
    public func build(
        after head: FeedPosition?, cases: [Case], reports: [Report], retractions: [Retraction],
        created: String
    ) -> [SignedBundle] {
        var bundles: [SignedBundle] = []
        var position = head
        var pendingCases = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        var caseOrder = cases.map(\.id)
        var remaining = reports[...]
        var chunkSize = limits.maximumReports
        repeat {
            let chunk = remaining.prefix(chunkSize)
            let neededIDs = bundles.isEmpty ? caseOrder : caseOrder.filter { id in chunk.contains { $0.caseID == id } }
            let chunkCases = neededIDs.compactMap { pendingCases[$0] }
            let isLast = chunk.count == remaining.count
            let header = BundleHeader(
                origin: key.originID, channel: channel, seq: (position?.seq ?? 0) + 1,
                prev: position?.id, created: created, audience: audience)
            let payload = BundlePayload(
                header: header, cases: chunkCases, reports: Array(chunk),
                retractions: isLast ? retractions : [])
            if payload.canonicalBytes.count > limits.maximumPayloadBytes, chunk.count > 1 {
                chunkSize = max(1, chunk.count / 2)
                continue
            }
            let signed = SignedBundle(payload: payload, key: key)
            bundles.append(signed)
            position = FeedPosition(seq: header.seq, id: signed.id)
            for id in neededIDs { pendingCases[id] = nil }
            caseOrder.removeAll { pendingCases[$0] == nil }
            remaining = remaining.dropFirst(chunk.count)
            chunkSize = limits.maximumReports
        } while !remaining.isEmpty
        return bundles
    }
}
