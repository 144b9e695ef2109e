import Foundation

/// A URL Weft cannot canonicalise, and why.
public struct URLCanonicalizationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A URL in Weft's canonical form, with its host and registrable domain: the values of `url` and `domain`
/// indicators.
public struct CanonicalURL: Sendable, Hashable {
    /// The canonical URL.
    public var url: String
    /// The host, lower-case ASCII (IDNA), without a trailing dot.
    public var host: String
    /// The registrable domain, when the host has one.
    public var domain: String?
}

/// Canonicalises URLs as analysts and takedown reports write them, so that every node turns the same link into
/// the same indicator (docs/hashing.md lists every rule):
///
/// - defanged forms are refanged: `hxxp(s)`, `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[://]`;
/// - a missing scheme means `http`; only `http` and `https` are accepted;
/// - scheme and host are lower-cased, the host's trailing dot removed, non-ASCII labels IDNA-encoded (NFKC, case
///   fold, Punycode), default ports (80, 443) dropped; user information and IP-address hosts are refused;
/// - the path's dot segments are resolved, an empty path becomes `/`; percent-escapes of unreserved characters
///   are decoded, other escapes upper-cased, and non-ASCII and unsafe bytes percent-encoded (UTF-8);
/// - tracking parameters (``trackingParameters``, ``platformTrackingParameters``) are removed, the others kept in
///   order; the fragment is dropped.
public struct URLCanonicalizer: Sendable {
    /// Query parameters that identify a campaign or a click, not a page, on any site (plus every `utm_*`).
    public static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc",
        "_hsmi", "mkt_tok",
    ]

    /// Share-tracking parameters of particular platforms, by registrable domain. Short names such as `s` mean
    /// something else elsewhere (WordPress search), so they are removed only here.
    public static let platformTrackingParameters: [String: Set<String>] = [
        "twitter.com": ["s", "t", "ref_src", "ref_url"], "x.com": ["s", "t", "ref_src", "ref_url"],
        "youtube.com": ["feature", "si", "pp"], "youtu.be": ["feature", "si"], "instagram.com": ["igsh"],
        "tiktok.com": ["_r", "_t", "is_from_webapp", "sender_device"], "facebook.com": ["mibextid", "rdid", "sfnsn"],
    ]

    /// The Public Suffix List for registrable domains.
    public let suffixes: PublicSuffixList

    /// Creates a canonicaliser.
    public init(suffixes: PublicSuffixList) { self.suffixes = suffixes }

    /// Canonicalises `text`.
    public func canonicalize(_ text: String) throws(URLCanonicalizationError) -> CanonicalURL {
        var rest = Self.refang(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !rest.isEmpty else { throw URLCanonicalizationError("empty URL") }
        if rest.contains(where: { $0.isWhitespace }) { throw URLCanonicalizationError("a URL has no spaces") }
        var scheme = "http"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = String(rest[range.upperBound...])
        } else if rest.hasPrefix("//") {
            rest.removeFirst(2)
        }
        guard scheme == "http" || scheme == "https" else {
            throw URLCanonicalizationError("scheme '\(scheme)' is not http or https")
        }
        if let hash = rest.firstIndex(of: "#") { rest = String(rest[..<hash]) }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        let pathAndQuery = String(rest[authorityEnd...])
        guard !authority.contains("@") else {
            throw URLCanonicalizationError("user information in a URL is personal data and never leaves a node")
        }
        let (host, port) = try Self.hostAndPort(authority)
        let canonicalHost = try Self.canonicalHost(host)
        let defaultPort = scheme == "http" ? 80 : 443
        let portPart = port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        let questionMark = pathAndQuery.firstIndex(of: "?")
        let rawPath = questionMark.map { String(pathAndQuery[..<$0]) } ?? pathAndQuery
        let rawQuery = questionMark.map { String(pathAndQuery[pathAndQuery.index(after: $0)...]) }
        let path = Self.removeDotSegments(Self.normalizeEscapes(rawPath.isEmpty ? "/" : rawPath, keep: "/"))
        let domain = suffixes.registrableDomain(of: canonicalHost)
        let query = rawQuery.map { Self.cleanQuery($0, domain: domain) } ?? ""
        let url = "\(scheme)://\(canonicalHost)\(portPart)\(path)" + (query.isEmpty ? "" : "?\(query)")
        guard url.utf8.count <= 2048 else {
            throw URLCanonicalizationError("longer than 2048 bytes after canonicalisation")
        }
        return CanonicalURL(url: url, host: canonicalHost, domain: domain)
    }

    /// The registrable domain of a host name or URL (defanged forms accepted).
    public func domain(_ text: String) throws(URLCanonicalizationError) -> String {
        let canonical = try canonicalize(text)
        guard let domain = canonical.domain else {
            throw URLCanonicalizationError("\(canonical.host) is a public suffix, not a registrable domain")
        }
        return domain
    }

    /// Turns defanged links (`hxxps://example[.]com`) back into plain ones.
    public static func refang(_ text: String) -> String {
        var result = text
        for (defanged, plain) in [
            ("[://]", "://"), ("[:]", ":"), ("[.]", "."), ("(.)", "."), ("{.}", "."),
            ("[dot]", "."), ("(dot)", "."),
        ] {
            result = result.replacingOccurrences(of: defanged, with: plain, options: .caseInsensitive)
        }
        if result.lowercased().hasPrefix("hxxp") { result = "http" + result.dropFirst(4) }
        return result
    }

    static func hostAndPort(_ authority: String) throws(URLCanonicalizationError) -> (String, Int?) {
        if authority.hasPrefix("[") { throw URLCanonicalizationError("IP-address hosts never leave a node") }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw URLCanonicalizationError("'\(authority)' is not a host and port") }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port) else {
                if parts[1].isEmpty { return (String(parts[0]), nil) }
                throw URLCanonicalizationError("port '\(parts[1])' is not 1–65535")
            }
            return (String(parts[0]), port)
        }
        return (authority, nil)
    }

    static func canonicalHost(_ host: String) throws(URLCanonicalizationError) -> String {
        var name = host.removingPercentEncoding ?? host
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw URLCanonicalizationError("the URL has no host") }
        let labels = try name.split(separator: ".", omittingEmptySubsequences: false).map {
            (label) throws(URLCanonicalizationError) -> String in
            guard !label.isEmpty else { throw URLCanonicalizationError("host '\(host)' has an empty label") }
            if label.allSatisfy(\.isASCII) { return label.lowercased() }
            let folded = String(label).precomposedStringWithCompatibilityMapping
                .folding(options: [.caseInsensitive], locale: nil).precomposedStringWithCompatibilityMapping
            guard let encoded = Punycode.encode(folded) else {
                throw URLCanonicalizationError("label '\(label)' cannot be IDNA-encoded")
            }
            return "xn--" + encoded
        }
        if labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            throw URLCanonicalizationError("IP-address hosts never leave a node")
        }
        for label in labels {
            let valid = label.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
            guard valid, label.utf8.count <= 63 else {
                throw URLCanonicalizationError("host label '\(label)' is not valid")
            }
        }
        return labels.joined(separator: ".")
    }

    /// Unreserved characters (RFC 3986 §2.3), which never need escaping.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~".utf8.contains(byte)
    }

    /// Decodes escaped unreserved bytes, upper-cases other escapes, and escapes every byte that is neither
    /// unreserved, a sub-delimiter, `:` `@`, nor one of `keep`.
    static func normalizeEscapes(_ text: String, keep: String) -> String {
        let allowed = Set("!$&'()*+,;=:@".utf8).union(keep.utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        let hex = Array("0123456789ABCDEF".utf8)
        func escape(_ byte: UInt8) { out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                if isUnreserved(value) { out.append(value) } else { escape(value) }
                index += 3
                continue
            }
            if isUnreserved(byte) || allowed.contains(byte) { out.append(byte) } else { escape(byte) }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".": if isLast { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default: output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }

    static func cleanQuery(_ query: String, domain: String?) -> String {
        let platform = domain.flatMap { platformTrackingParameters[$0] } ?? []
        return query.split(separator: "&").filter { parameter in
            let name = parameter.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            return !name.isEmpty && !name.hasPrefix("utm_") && !trackingParameters.contains(name)
                && !platform.contains(name)
        }.map { normalizeEscapes(String($0), keep: "/?") }.joined(separator: "&")
    }
}
