import WeftCore
import WeftStore

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The peer protocol's message formats (docs/protocol.md, "Peer protocol"). Bodies are canonical JSON; feeds
/// are NDJSON, one stored envelope per line, exactly the bytes that were signed and stored.
public enum SyncWire {
    /// Path prefix of every sync route.
    public static let prefix = "/sync/v1"
    /// The most bundles a feed request returns, whatever the caller asks.
    public static let maxFeedLimit = 1000
    /// A feed response stops before exceeding this many bytes (it always carries at least one bundle).
    public static let maxFeedBytes = 32 << 20
    /// The largest notify body accepted.
    public static let maxNotifyBytes = 4096

    /// `GET /sync/v1/heads` body.
    public static func encodeHeads(_ heads: [ServedHead]) throws -> [UInt8] {
        try CanonicalJSON.encode(
            .array(
                heads.map { head in
                    [
                        "origin": .string(head.origin.hex), "channel": .string(head.channel.name),
                        "seq": .number(Double(head.seq)), "id": .string(head.id.hex),
                    ]
                }))
    }

    /// Reads a heads body.
    public static func decodeHeads(_ bytes: [UInt8]) throws -> [ServedHead] {
        do {
            guard case .array(let items) = try JSONParser.parse(bytes) else {
                throw SyncError.protocolViolation("heads: expected an array")
            }
            return try items.map { item in
                var reader = try FieldReader(item, record: "head")
                let head = ServedHead(
                    origin: try reader.parsed("origin", OriginID.init(hex:)),
                    channel: try reader.parsed("channel", Channel.init),
                    seq: try reader.integer("seq", in: 1...Int(Int32.max)),
                    id: try reader.parsed("id", BundleID.init(hex:)))
                try reader.finish()
                return head
            }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.protocolViolation("heads: \(error)")
        }
    }

    /// A notify message: "I hold this bundle now; pull soon." Carries no data.
    public struct Notice: Sendable, Hashable {
        /// The feed's origin.
        public var origin: OriginID
        /// The feed's channel.
        public var channel: Channel
        /// The seq now held.
        public var seq: Int

        /// Creates a notice.
        public init(origin: OriginID, channel: Channel, seq: Int) {
            self.origin = origin
            self.channel = channel
            self.seq = seq
        }

        /// Its body.
        public func encode() throws -> [UInt8] {
            try CanonicalJSON.encode([
                "origin": .string(origin.hex), "channel": .string(channel.name), "seq": .number(Double(seq)),
            ])
        }

        /// Reads a body.
        public init(bytes: [UInt8]) throws {
            var reader = try FieldReader(try JSONParser.parse(bytes), record: "notify")
            origin = try reader.parsed("origin", OriginID.init(hex:))
            channel = try reader.parsed("channel", Channel.init)
            seq = try reader.integer("seq", in: 1...Int(Int32.max))
            try reader.finish()
        }
    }

    /// NDJSON: envelopes joined by newlines (envelopes are canonical JSON and never contain one).
    public static func encodeFeed(_ envelopes: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(envelopes.reduce(0) { $0 + $1.count + 1 })
        for envelope in envelopes {
            out += envelope
            out.append(0x0A)
        }
        return out
    }

    /// Splits an NDJSON body into envelopes (empty lines ignored; the last line needs no newline).
    ///
    /// Lines are found with `memchr`: `split(separator:)` ran as unspecialised generic code here, a byte at a time
    /// over every page, a few percent of a pull's CPU time at a million reports.
    public static func decodeFeed(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.withUnsafeBufferPointer { body in
            guard let base = body.baseAddress else { return [] }
            var lines: [[UInt8]] = []
            var start = 0
            while start < body.count {
                var end = body.count
                if let found = memchr(base + start, 0x0A, body.count - start) {
                    end = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                }
                if end > start { lines.append(Array(body[start..<end])) }
                start = end + 1
            }
            return lines
        }
    }

    /// The path of a feed request.
    public static func feedPath(origin: OriginID, channel: Channel, after seq: Int, limit: Int) -> String {
        "\(prefix)/feeds/\(origin.hex)/\(channel.name)?after=\(seq)&limit=\(limit)"
    }
}
