/// An origin's identity: the lower-case hex SHA-256 of its raw 32-byte Ed25519 public key.
public struct OriginID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 64 hex digits.
    public let hex: String

    /// Validates 64 lower-case hex digits.
    public init(hex: String) throws(RecordError) {
        guard Hex.isLowercaseHex(hex, count: 64) else {
            throw RecordError(record: "", field: nil, reason: "an origin id is 64 lower-case hex digits")
        }
        self.hex = hex
    }

    /// The id of a public key.
    public init(publicKey: OriginPublicKey) {
        hex = Hex.sha256(publicKey.rawRepresentation)
    }

    /// The first 12 digits, for tables meant for people.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (lhs: OriginID, rhs: OriginID) -> Bool { lhs.hex < rhs.hex }
}
