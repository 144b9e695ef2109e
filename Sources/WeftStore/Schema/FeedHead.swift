import GRDB
import WeftCore

/// The head of one feed held by this node: its last applied bundle.
public struct FeedHead: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "feed_head"

    /// The origin id, hex.
    public var origin: String
    /// The channel name.
    public var channel: String
    /// The last applied sequence number.
    public var seq: Int
    /// The last applied bundle's id.
    public var bundleID: String
    /// The audience of the last bundle, canonical JSON.
    public var audience: String

    enum CodingKeys: String, CodingKey {
        case origin, channel, seq, audience
        case bundleID = "bundle_id"
    }

    /// Creates a head.
    public init(origin: OriginID, channel: Channel, seq: Int, bundleID: String, audience: String) {
        self.origin = origin.hex
        self.channel = channel.name
        self.seq = seq
        self.bundleID = bundleID
        self.audience = audience
    }

    static func fetch(_ db: Database, origin: OriginID, channel: Channel) throws -> FeedHead? {
        try FeedHead.fetchOne(
            db, sql: "SELECT * FROM feed_head WHERE origin = ? AND channel = ?",
            arguments: [origin.hex, channel.name])
    }

    /// The position, for building the next bundle.
    public var position: FeedPosition { FeedPosition(seq: seq, id: try! BundleID(hex: bundleID)) }
}
