import WeftAnalysis
import WeftCore
import WeftHashing
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
    /// The indicators most often reported in the same cases (up to ten).
    public var cooccurring: [CooccurringIndicator]
    /// Other reported values that are near copies of it: PDQ hashes within 31, or keyed MinHash signatures with
    /// similarity at least 0.7 (empty for other kinds).
    public var near: [IndicatorSearch.Match]

    /// The provenance of `indicator` in `store`'s merged view (or among every report, with `includeWithdrawn`).
    /// - Parameters:
    ///   - near: its near copies (``nearCopies(of:in:)``), when the caller has a search at hand; nil reads the
    ///     store's view and scans it, for the kinds that have near copies.
    ///   - cooccurring: the indicators reported with it, when the caller has them from an incremental merge
    ///     (``IncrementalMerge/cooccurring(with:limit:)``); nil asks the store.
    public init(
        _ indicator: Indicator, in store: NodeStore, near: [IndicatorSearch.Match]? = nil,
        cooccurring: [CooccurringIndicator]? = nil, includeWithdrawn: Bool = false
    ) throws {
        let sightings = try store.sightings(of: indicator, includeWithdrawn: includeWithdrawn)
        kind = indicator.kind.rawValue
        value = indicator.value
        key = indicator.key
        origins = Set(sightings.map(\.origin)).count
        reports = sightings
        self.cooccurring = try cooccurring ?? store.cooccurring(with: indicator)
        if let near {
            self.near = near
        } else if Self.hasNearCopies(indicator.kind) {
            self.near = Self.nearCopies(of: indicator, in: IndicatorSearch(view: try store.mergedView()))
        } else {
            self.near = []
        }
    }

    /// Whether indicators of `kind` can have near copies (PDQ hashes and MinHash signatures).
    public static func hasNearCopies(_ kind: IndicatorKind) -> Bool {
        kind == .pdq || kind == .textMinHash
    }

    /// The other reported values of `search` that are near copies of `indicator`: PDQ hashes within 31, or keyed
    /// MinHash signatures with similarity at least 0.7; empty for other kinds and for values that are not hashes.
    public static func nearCopies(of indicator: Indicator, in search: some ReportSearch) -> [IndicatorSearch.Match] {
        switch indicator.kind {
        case .pdq:
            guard let hash = PDQHash(hex: indicator.value) else { return [] }
            return search.pdq(hash, maximumDistance: 31).filter { $0.value != indicator.value }
        case .textMinHash:
            guard let signature = MinHashSignature(hex: indicator.value) else { return [] }
            return search.minHash(signature, minimumSimilarity: 0.7).filter { $0.value != indicator.value }
        default:
            return []
        }
    }
}

/// `{"matches": [...]}`: near-duplicate search results.
struct MatchesPage: Encodable {
    var matches: [IndicatorSearch.Match]
}
