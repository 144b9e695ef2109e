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
    public var key: String { Hex.encode(keyDigest) }

    /// ``key`` before hex encoding.
    public var keyDigest: SHA256Digest { Self.keyDigest(kind: kind, value: value) }

    /// ``keyDigest`` of a kind and value already known to be valid (held in a store), without validating them again.
    public static func keyDigest(kind: IndicatorKind, value: String) -> SHA256Digest {
        var hasher = SHA256()
        var kind = kind.rawValue
        var value = value
        kind.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        value.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
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

    // The URL and domain rules read bytes: every value they accept is ASCII, and splitting strings into
    // substrings cost more than the rest of a report's validation together (docs/benchmarks.md, sync).

    private static func urlProblem(_ value: String) -> String? {
        withBytes(of: value) { urlProblem(bytes: $0) }
    }

    private static func urlProblem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count <= 2048 else { return "longer than 2048 bytes" }
        guard bytes.starts(with: "http://".utf8) || bytes.starts(with: "https://".utf8) else {
            return "must be an absolute http or https URL in canonical form (lower-case scheme)"
        }
        if bytes.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            return "must not contain spaces, control characters or raw non-ASCII (percent-encode or IDNA them)"
        }
        if bytes.contains(UInt8(ascii: "#")) { return "must not have a fragment" }
        // The authority runs from after the scheme's "//" to the next "/" or the end.
        guard let firstSlash = bytes.firstIndex(of: UInt8(ascii: "/")),
            firstSlash + 1 < bytes.count, bytes[firstSlash + 1] == UInt8(ascii: "/")
        else { return "has no host" }
        let authorityStart = firstSlash + 2
        let authorityEnd = bytes[authorityStart...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.count
        let authority = bytes[authorityStart..<authorityEnd]
        if authority.contains(UInt8(ascii: "@")) { return "must not carry user information (it is personal data)" }
        // The host is the first non-empty run before a ":" (a port follows it).
        let hostStart = authority.firstIndex { $0 != UInt8(ascii: ":") } ?? authorityEnd
        let hostEnd = authority[hostStart...].firstIndex(of: UInt8(ascii: ":")) ?? authorityEnd
        let host = UnsafeBufferPointer(rebasing: bytes[hostStart..<hostEnd])
        if let problem = domainProblem(bytes: host, allowSingleLabel: true) { return "host: \(problem)" }
        return nil
    }

    static func domainProblem(_ value: String, allowSingleLabel: Bool = false) -> String? {
        withBytes(of: value) { domainProblem(bytes: $0, allowSingleLabel: allowSingleLabel) }
    }

    private static func domainProblem(bytes: UnsafeBufferPointer<UInt8>, allowSingleLabel: Bool) -> String? {
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        guard !bytes.isEmpty, bytes.count <= 253 else { return "must be 1 to 253 characters" }
        if bytes.last == dot { return "must not end with a dot" }
        if !allowSingleLabel && !bytes.contains(dot) { return "must have at least two labels" }
        var start = 0
        var allNumeric = true
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: dot) ?? bytes.count
            let label = bytes[start..<end]
            guard (1...63).contains(label.count) else { return "each label must be 1 to 63 characters" }
            for byte in label {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): continue
                case UInt8(ascii: "a")...UInt8(ascii: "z"), hyphen, UInt8(ascii: "_"): allNumeric = false
                default: return "labels take lower-case letters, digits and hyphens only (IDNA-encode others)"
                }
            }
            if label.first == hyphen || label.last == hyphen { return "labels must not start or end with a hyphen" }
            start = end + 1
        }
        if allNumeric { return "an IP address is not a domain (IP addresses never leave a node)" }
        return nil
    }

    /// Runs `body` on the UTF-8 bytes of `value`, copying them only if the string is not stored contiguously.
    private static func withBytes(of value: String, _ body: (UnsafeBufferPointer<UInt8>) -> String?) -> String? {
        if let result = value.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(value.utf8).withUnsafeBufferPointer(body)
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
