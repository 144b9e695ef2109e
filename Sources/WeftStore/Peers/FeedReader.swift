import GRDB
import WeftCore

import struct Foundation.Data

/// Someone asking to read feeds: a peer's origin (if bound) and its policy. Decides, bundle by bundle, what
/// may be served: the bundle's audience must include the reader, the channel must be in the reader's policy,
/// and another origin's feed is served only when the policy allows relaying.
public struct FeedReader: Sendable, Hashable {
    /// The reader's origin; nil when the peer has no bound origin (it then sees only federation bundles).
    public var origin: OriginID?
    /// The reader's policy.
    public var policy: PeerPolicy

    /// Creates a reader.
    public init(origin: OriginID?, policy: PeerPolicy) {
        self.origin = origin
        self.policy = policy
    }

    /// The reader a peer record describes.
    public init(peer: PeerRecord) {
        self.init(origin: peer.origin, policy: peer.policy)
    }

    /// True when a bundle of `origin`'s feed `channel`, with this stored audience, may be served to the reader.
    public func mayRead(origin publisher: OriginID, channel: Channel, audience: String, node: OriginID) -> Bool {
        guard policy.channels.allows(channel) else { return false }
        guard policy.relay || publisher == node else { return false }
        guard let parsed = try? JSONParser.parse(Array(audience.utf8)),
            let audience = try? Audience(json: parsed, channel: channel, record: "audience")
        else { return false }
        if audience.members.isEmpty { return true }
        guard let origin else { return false }
        return audience.includes(origin, publisher: publisher)
    }
}

/// A feed head as served to a peer.
public struct ServedHead: Sendable, Hashable {
    /// The origin.
    public var origin: OriginID
    /// The channel.
    public var channel: Channel
    /// The last seq the reader may see.
    public var seq: Int
    /// That bundle's id.
    public var id: BundleID

    /// Creates a head.
    public init(origin: OriginID, channel: Channel, seq: Int, id: BundleID) {
        self.origin = origin
        self.channel = channel
        self.seq = seq
        self.id = id
    }
}

extension NodeStore {
    /// The heads of every feed of an active origin that `reader` may read, by origin and channel.
    public func heads(for reader: FeedReader) throws -> [ServedHead] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT h.origin, h.channel, h.seq, h.bundle_id, h.audience FROM feed_head h
                    JOIN origin o ON o.id = h.origin WHERE o.status = 'active' ORDER BY h.origin, h.channel
                    """)
            return try rows.compactMap { row in
                let origin = try OriginID(hex: row["origin"])
                let channel = try Channel(row["channel"])
                guard reader.mayRead(origin: origin, channel: channel, audience: row["audience"], node: node) else {
                    return nil
                }
                return ServedHead(
                    origin: origin, channel: channel, seq: row["seq"], id: try BundleID(hex: row["bundle_id"]))
            }
        }
    }

    /// Envelopes of one feed after `seq`, in order, verbatim, as many as `limit` and `maxBytes` allow (always at
    /// least one if any is due), stopping before the first bundle `reader` may not read.
    public func envelopes(
        origin: OriginID, channel: Channel, after seq: Int, limit: Int, maxBytes: Int, for reader: FeedReader
    ) throws -> [[UInt8]] {
        try database.read { db in
            guard
                try String.fetchOne(db, sql: "SELECT status FROM origin WHERE id = ?", arguments: [origin.hex])
                    == "active"
            else { return [] }
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT envelope, audience FROM bundle WHERE origin = ? AND channel = ? AND seq > ?
                    ORDER BY seq LIMIT ?
                    """, arguments: [origin.hex, channel.name, seq, limit])
            var out: [[UInt8]] = []
            var bytes = 0
            while let row = try cursor.next() {
                guard reader.mayRead(origin: origin, channel: channel, audience: row["audience"], node: node) else {
                    break
                }
                let envelope: Data = row["envelope"]
                if !out.isEmpty, bytes + envelope.count > maxBytes { break }
                bytes += envelope.count
                out.append(Array(envelope))
            }
            return out
        }
    }

    /// One bundle's envelope by id, if it is held and `reader` may read it.
    public func envelope(id: BundleID, for reader: FeedReader) throws -> [UInt8]? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT b.origin, b.channel, b.envelope, b.audience FROM bundle b
                        JOIN origin o ON o.id = b.origin WHERE b.id = ? AND o.status = 'active'
                        """, arguments: [id.hex])
            else { return nil }
            guard
                reader.mayRead(
                    origin: try OriginID(hex: row["origin"]), channel: try Channel(row["channel"]),
                    audience: row["audience"], node: node)
            else { return nil }
            return Array(row["envelope"] as Data)
        }
    }
}

/// The most recently stored bundle: what a node notifies its peers about.
public struct LatestBundle: Sendable, Hashable {
    /// Grows with every bundle stored.
    public var rowID: Int64
    /// The feed's origin.
    public var origin: OriginID
    /// The feed's channel.
    public var channel: Channel
    /// Its seq.
    public var seq: Int
    /// Its audience, canonical JSON.
    public var audience: String
}

extension NodeStore {
    /// The most recently stored bundle, if any.
    public func latestBundle() throws -> LatestBundle? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT rowid, origin, channel, seq, audience FROM bundle ORDER BY rowid DESC LIMIT 1")
            else { return nil }
            return LatestBundle(
                rowID: row["rowid"], origin: try OriginID(hex: row["origin"]), channel: try Channel(row["channel"]),
                seq: row["seq"], audience: row["audience"])
        }
    }
}
