/// A namespaced label on a case or report.
///
/// - `disarm:VERSION:TECHNIQUE`, a DISARM technique with the framework version, e.g. `disarm:1.6:T0084.001`;
/// - `killchain:CODE`, a code of Meta's Online Operations Kill Chain, e.g. `killchain:6.1.3`;
/// - `tag:WORD`, a free tag of lower-case letters, digits and `-._`.
public struct Label: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The label text.
    public let text: String

    /// Validates a label.
    public init(_ text: String) throws(RecordError) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let valid: Bool
        switch parts.first {
        case "disarm":
            valid = parts.count == 3 && Self.isDotted(parts[1]) && Self.isTechnique(parts[2])
        case "killchain":
            valid = parts.count == 2 && Self.isDotted(parts[1])
        case "tag":
            valid =
                parts.count == 2 && (1...64).contains(parts[1].utf8.count)
                && parts[1].utf8.allSatisfy { Self.isTagByte($0) }
        default:
            valid = false
        }
        guard valid else {
            throw RecordError(
                record: "", field: nil,
                reason:
                    "'\(text)' is not a label (use disarm:1.6:T0084.001, killchain:6.1.3 or tag:word)")
        }
        self.text = text
    }

    public var description: String { text }
    public static func < (lhs: Label, rhs: Label) -> Bool { lhs.text < rhs.text }

    private static func isDotted(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (1...6).contains(parts.count)
            && parts.allSatisfy { (1...4).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    private static func isTechnique(_ text: String) -> Bool {
        guard text.hasPrefix("T") else { return false }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count == 4 else { return false }
        if parts.count == 2, parts[1].count != 3 { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
    }
}

extension FieldReader {
    /// Reads an array of labels, sorted and without repeats.
    public mutating func labels(_ field: String) throws(RecordError) -> [Label] {
        var labels: [Label] = []
        for (index, text) in try strings(field).enumerated() {
            do { labels.append(try Label(text)) } catch { throw self.error("\(field)[\(index)]", error.reason) }
        }
        do { return try Label.recordSet(labels) } catch { throw self.error(field, error.reason) }
    }
}

extension Label {
    /// The labels one record carries: `labels` sorted, refused if one is repeated or there are more than 64.
    static func recordSet(_ labels: [Label]) throws(RecordError) -> [Label] {
        guard labels.count > 1 else { return labels }
        let unique = Array(Set(labels)).sorted()
        guard unique.count == labels.count else {
            throw RecordError(record: "", field: nil, reason: "lists a label more than once")
        }
        guard unique.count <= 64 else { throw RecordError(record: "", field: nil, reason: "has more than 64 labels") }
        return unique
    }
}
