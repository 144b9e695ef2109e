/// Reads a payload's reports straight from its bytes, without building a ``JSONValue`` for each one.
///
/// It only reads the shape that every report this code signs has: bytes already proven to be in the evident
/// canonical shape (``CanonicalShape/evidentMember(_:in:)``), where each report is an object with exactly the
/// members ``Report/canonicalBytes`` writes, in that order, `labels` included even when empty. Anything else
/// (an absent or null `labels`, an unknown member, a value of another type, a value any record type refuses)
/// makes it return nil: "not read here", never "invalid". The caller then reads the same bytes the general
/// way (``Report/init(json:record:)``), which is the definition and gives the error, if there is one. So a
/// report this reader returns equals the one the general way returns; tests check that on many inputs.
enum CanonicalReportReader {
    /// The reports of the array at `range` of `bytes`, in order, or nil if any of them is not read here or there
    /// are more than `maximum`.
    static func reports(in bytes: [UInt8], range: Range<Int>, maximum: Int) -> [Report]? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = Cursor(bytes: buffer, index: range.lowerBound, end: range.upperBound)
            guard cursor.take(UInt8(ascii: "[")) else { return nil }
            var reports: [Report] = []
            if cursor.take(UInt8(ascii: "]")) { return cursor.index == range.upperBound ? reports : nil }
            repeat {
                guard reports.count < maximum, let report = cursor.report() else { return nil }
                reports.append(report)
            } while cursor.take(UInt8(ascii: ","))
            guard cursor.take(UInt8(ascii: "]")), cursor.index == range.upperBound else { return nil }
            return reports
        }
    }

    /// A position in bytes of the evident canonical shape: no whitespace, strings of printable ASCII without
    /// escapes, integers of at most 15 digits.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        mutating func report() -> Report? {
            guard literal(#"{"case":"#), let caseText = string(),
                literal(#","confidence":"#), let confidence = integer(),
                literal(#","first_seen":"#), let firstSeen = string(),
                literal(#","kind":"#), let kind = string(),
                literal(#","labels":["#), let labels = stringsUntilBracket(),
                literal(#","last_seen":"#), let lastSeen = string(),
                literal(#","prevalence":{"accounts":"#), let accounts = integer(),
                literal(#","flagged":"#), let flagged = integer(),
                literal(#"},"value":"#), let value = string(),
                take(UInt8(ascii: "}"))
            else { return nil }
            return Self.report(
                caseText: caseText, confidence: confidence, firstSeen: firstSeen, kind: kind, labels: labels,
                lastSeen: lastSeen, accounts: accounts, flagged: flagged, value: value)
        }

        /// The same checks, through the same initialisers, as ``Report/init(json:record:)`` and
        /// ``FieldReader/labels(_:)``, with every failure turned into nil.
        private static func report(
            caseText: String, confidence: Int, firstSeen: String, kind: String, labels: [String],
            lastSeen: String, accounts: Int, flagged: Int, value: String
        ) -> Report? {
            // The ranges of confidence and the buckets are checked where the general way checks them too: in
            // `PrevalenceBucket(index:)` and in `Report`'s relations.
            guard let caseID = try? CaseID(caseText),
                let kind = try? IndicatorKind(validating: kind),
                let indicator = try? Indicator(kind: kind, value: value),
                let firstSeen = try? Day(firstSeen),
                let lastSeen = try? Day(lastSeen),
                let postingAccounts = try? PrevalenceBucket(index: accounts),
                let flaggedAccounts = try? PrevalenceBucket(index: flagged)
            else { return nil }
            var parsedLabels: [Label] = []
            for text in labels {
                guard let label = try? Label(text) else { return nil }
                parsedLabels.append(label)
            }
            guard let recordLabels = try? Label.recordSet(parsedLabels) else { return nil }
            return try? Report(
                caseID: caseID, indicator: indicator, firstSeen: firstSeen, lastSeen: lastSeen,
                confidence: confidence, labels: recordLabels, postingAccounts: postingAccounts,
                flaggedAccounts: flaggedAccounts)
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < end, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard end - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A string; in this shape its content is the bytes between the quotes.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < end, bytes[index] != UInt8(ascii: "\"") { index += 1 }
            guard index < end else { return nil }
            index += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
        }

        /// An integer; in this shape, an optional minus and 1–15 digits, so the value is exact.
        mutating func integer() -> Int? {
            let negative = take(UInt8(ascii: "-"))
            let start = index
            var value = 0
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            guard index > start, index - start <= 15 else { return nil }
            return negative ? -value : value
        }

        /// Strings separated by commas up to and including the closing `]` (the `[` is already taken).
        mutating func stringsUntilBracket() -> [String]? {
            var strings: [String] = []
            if take(UInt8(ascii: "]")) { return strings }
            repeat {
                guard let text = string() else { return nil }
                strings.append(text)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? strings : nil
        }
    }
}
