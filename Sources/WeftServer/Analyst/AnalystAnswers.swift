import WeftAnalysis
import WeftCore
import WeftStore

/// A peer as `weft peer list --json`, `weft peers status --json` and `GET /api/v1/peers` show it.
public struct PeerSummary: Sendable, Encodable {
    public var name, url, spkiPin, status, channels, addedAt: String
    public var origin, statusReason, lastContact, lastError, lastErrorAt: String?
    public var relay: Bool
    public var trust: Double
    /// Lag per feed taken from this peer, when asked for.
    public var feeds: [PeerFeedLag]?

    /// The last error, unless a round has succeeded since.
    public var currentError: String? {
        guard let lastError, let lastErrorAt else { return nil }
        if let lastContact, lastContact >= lastErrorAt { return nil }
        return lastError
    }

    /// The summary of a peer record.
    public init(_ peer: PeerRecord) {
        name = peer.name
        url = peer.url
        spkiPin = peer.spkiPin
        status = peer.status.rawValue
        channels = peer.policy.channels.description
        addedAt = peer.addedAt
        origin = peer.origin?.hex
        statusReason = peer.statusReason
        lastContact = peer.lastContact
        lastError = peer.lastError
        lastErrorAt = peer.lastErrorAt
        relay = peer.policy.relay
        trust = peer.policy.trust
    }

    /// Every peer of `store` with the lag of each feed it delivers.
    public static func all(in store: NodeStore) throws -> [PeerSummary] {
        let lags = try store.feedLags()
        var rows = try store.peers().map(PeerSummary.init)
        for index in rows.indices { rows[index].feeds = lags.filter { $0.peer == rows[index].name } }
        return rows
    }
}

/// Who reported an indicator, as `weft indicator show --json` and `GET /api/v1/indicators` show it.
public struct IndicatorProvenance: Sendable, Encodable {
    public var kind: String
    public var value: String
    /// sha256(kind ‖ 0x00 ‖ value), hex: the indicator's key in every node's store.
    public var key: String
    /// How many origins reported it.
    public var origins: Int
    public var reports: [IndicatorSighting]

    /// The provenance of `indicator` in `store`'s merged view (or among every report, with `includeWithdrawn`).
    public init(_ indicator: Indicator, in store: NodeStore, includeWithdrawn: Bool = false) throws {
        let sightings = try store.sightings(of: indicator, includeWithdrawn: includeWithdrawn)
        kind = indicator.kind.rawValue
        value = indicator.value
        key = indicator.key
        origins = Set(sightings.map(\.origin)).count
        reports = sightings
    }
}

/// `{"operations": [...]}`: the operations format of docs/operations-format.md.
struct OperationsPage: Encodable {
    var operations: [MergedOperation]
}

/// `{"matches": [...]}`: near-duplicate search results.
struct MatchesPage: Encodable {
    var matches: [IndicatorSearch.Match]
}
