/// A named stream of bundles within an origin's log. The channel fixes who may receive its bundles.
///
/// `federation` is readable by every member and relayable; any other name is a group channel whose bundles
/// carry an explicit member list.
public struct Channel: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The channel name: 1–64 of lower-case letters, digits and `._-`, starting with a letter or digit.
    public let name: String

    /// The channel every member reads.
    public static let federation = try! Channel("federation")

    /// Validates a channel name.
    public init(_ name: String) throws(RecordError) {
        let bytes = Array(name.utf8)
        let isAlphanumeric: (UInt8) -> Bool = {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
        }
        guard (1...64).contains(bytes.count), isAlphanumeric(bytes[0]),
            bytes.allSatisfy({ isAlphanumeric($0) || "._-".utf8.contains($0) })
        else {
            throw RecordError(
                record: "", field: nil,
                reason:
                    "'\(name)' is not a channel name (1–64 of a–z 0–9 . _ -, starting with a letter or digit)")
        }
        self.name = name
    }

    /// True for the federation-wide channel.
    public var isFederation: Bool { self == .federation }
    public var description: String { name }
    public static func < (lhs: Channel, rhs: Channel) -> Bool { lhs.name < rhs.name }
}
