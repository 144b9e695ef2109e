/// A calendar day in UTC, written `YYYY-MM-DD`: reports carry first/last seen at day granularity only, so
/// that a sighting cannot be tied to a single post's timestamp.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The `YYYY-MM-DD` text.
    public let text: String

    /// Validates a `YYYY-MM-DD` date (years 2000–2999, real month lengths, leap years included).
    public init(_ text: String) throws(RecordError) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
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
