import GRDB
import WeftCore

/// Where a pull from one peer stands in one feed: moved in the same transaction as the bundles it covers.
public struct SyncCursor: Sendable, Hashable {
    /// The peer's name.
    public var peer: String
    /// The feed's origin.
    public var origin: OriginID
    /// The feed's channel.
    public var channel: Channel
    /// The peer's head for the feed when it was last asked.
    public var peerSeq: Int

    /// Creates a cursor update.
    public init(peer: String, origin: OriginID, channel: Channel, peerSeq: Int) {
        self.peer = peer
        self.origin = origin
        self.channel = channel
        self.peerSeq = peerSeq
    }

    /// Upserts the cursor: `seq` becomes this node's head of the feed (never moving back).
    func save(_ db: Database) throws {
        let head = try FeedHead.fetch(db, origin: origin, channel: channel)?.seq ?? 0
        try db.execute(
            sql: """
                INSERT INTO cursor (peer, origin, channel, seq, peer_seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (peer, origin, channel) DO UPDATE SET
                    seq = max(seq, excluded.seq), peer_seq = excluded.peer_seq, updated_at = excluded.updated_at
                """, arguments: [peer, origin.hex, channel.name, head, peerSeq, Timestamp.string()])
    }
}

/// One feed as seen from one peer, for `weft peers status`.
public struct PeerFeedLag: Sendable, Hashable, Codable {
    /// The peer.
    public var peer: String
    /// The feed's origin, hex.
    public var origin: String
    /// The channel.
    public var channel: String
    /// This node's head.
    public var seq: Int
    /// The peer's head when last asked.
    public var peerSeq: Int
    /// How many bundles this node is behind that peer (0 when level or ahead).
    public var lag: Int
    /// When the cursor last moved.
    public var updatedAt: String
}

extension NodeStore {
    /// Every cursor, with the lag against this node's current heads.
    public func feedLags() throws -> [PeerFeedLag] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.peer, c.origin, c.channel, coalesce(h.seq, 0) AS seq, c.peer_seq, c.updated_at
                    FROM cursor c LEFT JOIN feed_head h ON h.origin = c.origin AND h.channel = c.channel
                    ORDER BY c.peer, c.origin, c.channel
                    """
            ).map { row in
                let seq: Int = row["seq"]
                let peerSeq: Int = row["peer_seq"]
                return PeerFeedLag(
                    peer: row["peer"], origin: row["origin"], channel: row["channel"], seq: seq, peerSeq: peerSeq,
                    lag: max(0, peerSeq - seq), updatedAt: row["updated_at"])
            }
        }
    }
}
