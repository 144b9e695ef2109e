/// An origin's identifier for one of its cases: opaque to everyone else, 1–128 characters of letters, digits
/// and `._:-`. Choose ids that reveal nothing (a counter or a random token, not an account name).
public struct CaseID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The identifier text.
    public let text: String

    /// Validates a case id.
    public init(_ text: String) throws(RecordError) {
        let valid =
            (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "._:-".utf8.contains(byte)
            }
        guard valid else {
            throw RecordError(
                record: "", field: nil, reason: "'\(text)' is not a case id (1–128 of A–Z a–z 0–9 . _ : -)")
        }
        self.text = text
    }

    public var description: String { text }
    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.text < rhs.text }
}
