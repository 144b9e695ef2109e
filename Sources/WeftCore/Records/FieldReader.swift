/// Reads the members of one JSON object into typed values, refusing missing, mistyped and unknown members with
/// a ``RecordError`` that names the record and field.
///
/// Signed records are closed: a member this version does not know is an error, not something to ignore,
/// because a verifier must understand everything it vouches for.
public struct FieldReader {
    /// The name of the record being read, used in errors.
    public let record: String
    private let members: [String: JSONValue]
    /// The names of the members read so far, each once. Members are looked up, never removed: removing would
    /// copy the parsed object's dictionary for every record (a tenth of the stateless intake work).
    private var read: [String] = []

    /// Starts reading `value`, which must be an object.
    public init(_ value: JSONValue, record: String) throws(RecordError) {
        guard case .object(let members) = value else {
            throw RecordError(record: record, field: nil, reason: "expected an object, found \(value.typeName)")
        }
        self.record = record
        self.members = members
        read.reserveCapacity(members.count)
    }

    /// An error about `field` of this record.
    public func error(_ field: String?, _ reason: String) -> RecordError {
        RecordError(record: record, field: field, reason: reason)
    }

    /// A member that may be absent (`null` counts as absent), marked as read.
    public mutating func optional(_ field: String) -> JSONValue? {
        guard let value = members[field] else { return nil }
        if !read.contains(field) { read.append(field) }
        guard value != .null else { return nil }
        return value
    }

    /// A required member, marked as read.
    public mutating func required(_ field: String) throws(RecordError) -> JSONValue {
        guard let value = optional(field) else { throw error(field, "is required") }
        return value
    }

    /// A required string.
    public mutating func string(_ field: String) throws(RecordError) -> String {
        let value = try required(field)
        guard case .string(let text) = value else { throw error(field, "expected a string, found \(value.typeName)") }
        return text
    }

    /// An optional string.
    public mutating func optionalString(_ field: String) throws(RecordError) -> String? {
        guard let value = optional(field) else { return nil }
        guard case .string(let text) = value else { throw error(field, "expected a string, found \(value.typeName)") }
        return text
    }

    /// A required integer within `range`.
    public mutating func integer(_ field: String, in range: ClosedRange<Int>) throws(RecordError) -> Int {
        try Self.integer(try required(field), in: range, error: { error(field, $0) })
    }

    /// An optional integer within `range`.
    public mutating func optionalInteger(_ field: String, in range: ClosedRange<Int>) throws(RecordError) -> Int? {
        guard let value = optional(field) else { return nil }
        return try Self.integer(value, in: range, error: { error(field, $0) })
    }

    /// An array (absent means empty).
    public mutating func array(_ field: String) throws(RecordError) -> [JSONValue] {
        guard let value = optional(field) else { return [] }
        guard case .array(let elements) = value else {
            throw error(field, "expected an array, found \(value.typeName)")
        }
        return elements
    }

    /// An array of strings (absent means empty).
    public mutating func strings(_ field: String) throws(RecordError) -> [String] {
        var result: [String] = []
        for (index, element) in try array(field).enumerated() {
            guard case .string(let text) = element else {
                throw error("\(field)[\(index)]", "expected a string, found \(element.typeName)")
            }
            result.append(text)
        }
        return result
    }

    /// Ends reading: any member not read is unknown to this version and refused.
    public func finish() throws(RecordError) {
        guard read.count != members.count else { return }
        if let unknown = members.keys.sorted().first(where: { !read.contains($0) }) {
            throw error(unknown, "is not a known field")
        }
    }

    static func integer(
        _ value: JSONValue, in range: ClosedRange<Int>,
        error: (String) -> RecordError
    ) throws(RecordError) -> Int {
        guard case .number(let number) = value else { throw error("expected an integer, found \(value.typeName)") }
        guard number == number.rounded(.towardZero), let integer = Int(exactly: number) else {
            throw error("expected an integer, found \(ECMAScriptNumber.format(number) ?? "\(number)")")
        }
        guard range.contains(integer) else {
            throw error("\(integer) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return integer
    }
}

extension FieldReader {
    /// Reads a required string member and converts it with `make`, blaming `field` for any error `make` throws.
    public mutating func parsed<T>(
        _ field: String,
        _ make: (String) throws(RecordError) -> T
    ) throws(RecordError) -> T {
        let text = try string(field)
        do { return try make(text) } catch { throw self.error(field, error.reason) }
    }

    /// Reads an optional string member and converts it with `make`.
    public mutating func optionalParsed<T>(
        _ field: String,
        _ make: (String) throws(RecordError) -> T
    ) throws(RecordError) -> T? {
        guard let text = try optionalString(field) else { return nil }
        do { return try make(text) } catch { throw self.error(field, error.reason) }
    }
}
