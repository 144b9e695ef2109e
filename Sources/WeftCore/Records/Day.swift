/// A calendar day in UTC, written `YYYY-MM-DD`: reports carry first/last seen at day granularity only, so
/// that a sighting cannot be tied to a single post's timestamp.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The `YYYY-MM-DD` text.
    public let text: String

    /// Validates a `YYYY-MM-DD` date (years 2000–2999, real month lengths, leap years included).
    public init(_ text: String) throws(RecordError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2999).contains(year), (1...12).contains(month)
        else { throw RecordError(record: "", field: nil, reason: "'\(text)' is not a YYYY-MM-DD date") }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else {
            throw RecordError(record: "", field: nil, reason: "'\(text)' is not a day of the calendar")
        }
        self.text = text
    }

    public var description: String { text }
    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.text < rhs.text }
}
