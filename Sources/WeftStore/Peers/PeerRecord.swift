import GRDB
import WeftCore

/// A peer node in the trust table: who it is (name, TLS pin, origin), where it serves, and what it may do.
///
/// The TLS SPKI pin is the peer's identity on the wire: a caller's client certificate is mapped to a peer by
/// the SHA-256 of its public key, so a certificate can be renewed with the same key without a trust change.
public struct PeerRecord: Sendable, Hashable {
    /// Trust status.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Served and pulled from.
        case active
        /// Temporarily refused and not pulled from; `resume` makes it active again.
        case suspended
        /// Refused for good; its origin's new bundles are refused too.
        case revoked
    }

    /// A name for people, unique in this store.
    public var name: String
    /// The base URL of its sync server, `https://host:port`.
    public var url: String
    /// SHA-256 of its TLS certificate's DER SubjectPublicKeyInfo, 64 lower-case hex digits.
    public var spkiPin: String
    /// The peer node's own origin, when bound (needed for group audiences).
    public var origin: OriginID?
    /// Trust status.
    public var status: Status
    /// Why the status was last changed.
    public var statusReason: String?
    /// What it may read and how much it is trusted.
    public var policy: PeerPolicy
    /// When it was added.
    public var addedAt: String
    /// The last sync round with it that succeeded.
    public var lastContact: String?
    /// The last error seen when syncing with it, and when.
    public var lastError: String?
    public var lastErrorAt: String?

    init(row: Row) throws {
        name = row["name"]
        url = row["url"]
        spkiPin = row["spki_pin"]
        origin = try (row["origin"] as String?).map { try OriginID(hex: $0) }
        status = Status(rawValue: row["status"]) ?? .suspended
        statusReason = row["status_reason"]
        policy = PeerPolicy(
            channels: PeerPolicy.Channels(text: row["channels"]), relay: row["relay"], trust: row["trust"])
        addedAt = row["added_at"]
        lastContact = row["last_contact"]
        lastError = row["last_error"]
        lastErrorAt = row["last_error_at"]
    }
}

/// Per-peer policy: which channels the peer may read, whether it is served feeds of other origins, and the
/// weight its evidence gets in scoring.
public struct PeerPolicy: Sendable, Hashable {
    /// The channels a peer may read.
    public enum Channels: Sendable, Hashable, CustomStringConvertible {
        /// Every channel whose audience includes it.
        case all
        /// Only these (still subject to each bundle's audience).
        case only(Set<Channel>)

        init(text: String) {
            if text == "*" {
                self = .all
            } else {
                self = .only(Set(text.split(separator: ",").compactMap { try? Channel(String($0)) }))
            }
        }

        /// The stored form: `*` or a sorted comma list.
        public var description: String {
            switch self {
            case .all: "*"
            case .only(let channels): channels.map(\.name).sorted().joined(separator: ",")
            }
        }

        /// True when `channel` may be served.
        public func allows(_ channel: Channel) -> Bool {
            switch self {
            case .all: true
            case .only(let channels): channels.contains(channel)
            }
        }
    }

    /// The channels it may read.
    public var channels: Channels
    /// Serve it feeds of origins other than this node's (relay). Off: only this node's own feeds.
    public var relay: Bool
    /// Trust weight 0…1 for scoring its evidence.
    public var trust: Double

    /// Everything the audience allows, relayed, full trust.
    public static let standard = PeerPolicy(channels: .all, relay: true, trust: 1)

    /// Creates a policy.
    public init(channels: Channels, relay: Bool, trust: Double) {
        self.channels = channels
        self.relay = relay
        self.trust = trust
    }
}

/// Why a peer could not be added or changed.
public struct PeerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    public var description: String { reason }
}
