import Crypto

/// A value that can be joined across platforms: a kind and a value in the kind's canonical form.
///
/// Its ``key`` is `sha256(kind ‖ 0x00 ‖ value)` in hex, the same at every node.
public struct Indicator: Sendable, Hashable, Comparable {
    /// The kind.
    public let kind: IndicatorKind
    /// The value, already in canonical form for its kind.
    public let value: String

    /// Validates `value` for `kind`.
    /// - Throws: ``RecordError`` naming the field `value` and the rule broken.
    public init(kind: IndicatorKind, value: String) throws(RecordError) {
        if let problem = IndicatorValueRules.problem(kind: kind, value: value) {
            throw RecordError(record: "", field: "value", reason: "invalid \(kind.rawValue) value: \(problem)")
        }
        self.kind = kind
        self.value = value
    }

    /// The indicator's key: lower-case hex SHA-256 of the kind, a zero byte and the value.
    public var key: String {
        var hasher = SHA256()
        hasher.update(data: Array(kind.rawValue.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(value.utf8))
        return Hex.encode(hasher.finalize())
    }

    public static func < (lhs: Indicator, rhs: Indicator) -> Bool {
        (lhs.kind, lhs.value) < (rhs.kind, rhs.value)
    }
}

/// The value format of each indicator kind. Hashing produces these forms; the wire accepts only these forms.
enum IndicatorValueRules {
    /// A description of what is wrong with `value`, or `nil` when it is valid.
    static func problem(kind: IndicatorKind, value: String) -> String? {
        switch kind {
        case .pdq, .sha256, .textSHA256, .account, .handle, .accountLink:
            return hex(value, digits: 64)
        case .md5:
            return hex(value, digits: 32)
        case .textMinHash:
            return hex(value, digits: 1024, what: "128 big-endian 32-bit minima")
        case .schedule:
            return hex(value, digits: 168, what: "one quantised nibble per hour of the week")
        case .url:
            return urlProblem(value)
        case .domain:
            return domainProblem(value)
        case .hashtag:
            return hashtagProblem(value)
        case .handleShape:
            return handleShapeProblem(value)
        }
    }

    private static func hex(_ value: String, digits: Int, what: String? = nil) -> String? {
        if Hex.isLowercaseHex(value, count: digits) { return nil }
        let detail = what.map { " (\($0))" } ?? ""
        return "expected \(digits) lower-case hex digits\(detail), got \(value.utf8.count) characters"
    }

    private static func urlProblem(_ value: String) -> String? {
        guard value.utf8.count <= 2048 else { return "longer than 2048 bytes" }
        guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
            return "must be an absolute http or https URL in canonical form (lower-case scheme)"
        }
        if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0.value > 0x7E }) {
            return "must not contain spaces, control characters or raw non-ASCII (percent-encode or IDNA them)"
        }
        if value.contains("#") { return "must not have a fragment" }
        let afterScheme = value.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard afterScheme.count >= 3 else { return "has no host" }
        let authority = afterScheme[2]
        if authority.contains("@") { return "must not carry user information (it is personal data)" }
        let host = authority.split(separator: ":").first.map(String.init) ?? ""
        if let problem = domainProblem(host, allowSingleLabel: true) { return "host: \(problem)" }
        return nil
    }

    static func domainProblem(_ value: String, allowSingleLabel: Bool = false) -> String? {
        guard !value.isEmpty, value.utf8.count <= 253 else { return "must be 1 to 253 characters" }
        if value.hasSuffix(".") { return "must not end with a dot" }
        let labels = value.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 && !allowSingleLabel { return "must have at least two labels" }
        for label in labels {
            guard (1...63).contains(label.utf8.count) else { return "each label must be 1 to 63 characters" }
            let valid = label.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
            if !valid { return "labels take lower-case letters, digits and hyphens only (IDNA-encode others)" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "labels must not start or end with a hyphen" }
        }
        // Every label passed the byte check above, so each is ASCII and "numeric" means digits only.
        if labels.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }) {
            return "an IP address is not a domain (IP addresses never leave a node)"
        }
        return nil
    }

    private static func hashtagProblem(_ value: String) -> String? {
        guard (1...140).contains(value.count) else { return "must be 1 to 140 characters" }
        if value.hasPrefix("#") { return "store the tag without its leading '#'" }
        if value != value.lowercased() { return "must be lower-case (normalised)" }
        if value.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            return "must not contain whitespace or control characters"
        }
        return nil
    }

    /// Handle shapes are space-separated classes, each a class letter and an optional run length:
    /// `A` upper-case, `a` lower-case, `d` digits, `s` symbols; e.g. `A a4 d8`.
    private static func handleShapeProblem(_ value: String) -> String? {
        let tokens = value.split(separator: " ", omittingEmptySubsequences: false)
        guard (1...32).contains(tokens.count) else { return "must have 1 to 32 classes" }
        for token in tokens {
            guard let first = token.first, "Aads".contains(first) else {
                return "each class starts with A, a, d or s (e.g. 'A a4 d8')"
            }
            let count = token.dropFirst()
            if !count.isEmpty,
                !(count.allSatisfy(\.isASCII) && count.allSatisfy(\.isNumber) && count.count <= 2
                    && !count.hasPrefix("0"))
            {
                return "a class's run length is 1 to 99 written without leading zeros (e.g. 'd8')"
            }
        }
        return nil
    }
}
