/// A bundle's id: the lower-case hex SHA-256 of its payload bytes. The next bundle of the feed names it as `prev`.
public struct BundleID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 64 hex digits.
    public let hex: String

    /// The id of `payload`.
    public init(payload: [UInt8]) { hex = Hex.sha256(payload) }

    /// Validates 64 lower-case hex digits.
    public init(hex: String) throws(RecordError) {
        guard Hex.isLowercaseHex(hex, count: 64) else {
            throw RecordError(record: "", field: nil, reason: "a bundle id is 64 lower-case hex digits")
        }
        self.hex = hex
    }

    /// The first 12 digits, for people.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (lhs: BundleID, rhs: BundleID) -> Bool { lhs.hex < rhs.hex }
}
