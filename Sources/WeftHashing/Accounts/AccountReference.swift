import Crypto
import Foundation
import WeftCore

/// Why an account reference cannot be hashed.
public struct AccountReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// An account on a platform, reduced to the form every member normalises it to: platform name and handle (or
/// numeric id), so `@Name`, `name` and `https://twitter[.]com/Name/` are one account.
///
/// Normalisation (docs/hashing.md): NFKC, case fold, leading `@` removed; profile URLs of known platforms are
/// read for their handle (twitter.com and x.com are one platform). Email addresses, phone numbers and IP
/// addresses are refused: they are personal contact data and never leave a node.
public struct AccountReference: Sendable, Hashable {
    /// The platform's name, lower-case (`twitter`, `facebook`, …).
    public var platform: String
    /// The normalised handle or numeric id.
    public var handle: String
    /// The handle as written (case kept), for its shape.
    public var original: String

    /// Profile URL hosts by registrable domain, with the platform they belong to.
    public static let platformsByDomain: [String: String] = [
        "twitter.com": "twitter", "x.com": "twitter", "facebook.com": "facebook", "fb.com": "facebook",
        "instagram.com": "instagram", "tiktok.com": "tiktok", "youtube.com": "youtube", "t.me": "telegram",
        "telegram.me": "telegram", "reddit.com": "reddit", "medium.com": "medium", "pinterest.com": "pinterest",
        "vk.com": "vk", "threads.net": "threads", "linkedin.com": "linkedin", "quora.com": "quora",
        "tumblr.com": "tumblr",
    ]

    /// Path words that introduce a handle rather than being one.
    static let prefixes: Set<String> = ["user", "u", "c", "channel", "in", "profile", "people", "s"]

    /// Parses a handle, id or profile URL. `platform` is required unless `text` is a URL of a known platform.
    public init(platform: String?, text: String) throws(AccountReferenceError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.refusePersonalContactData(trimmed)
        let refanged = URLCanonicalizer.refang(trimmed)
        if refanged.contains("/") && refanged.contains(".") {
            let (urlPlatform, handle) = try Self.fromProfileURL(refanged)
            if let platform, Self.normalizePlatform(platform) != urlPlatform {
                throw AccountReferenceError("the URL is a \(urlPlatform) profile, not \(platform)")
            }
            self.platform = urlPlatform
            original = handle
        } else {
            guard let platform, !platform.isEmpty else {
                throw AccountReferenceError("a bare handle needs its platform")
            }
            self.platform = Self.normalizePlatform(platform)
            original = trimmed.hasPrefix("@") ? String(trimmed.dropFirst()) : trimmed
        }
        handle = original.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
        guard !handle.isEmpty, handle.count <= 256, !handle.contains(where: { $0.isWhitespace }) else {
            throw AccountReferenceError("'\(text)' is not a handle or id")
        }
    }

    static func normalizePlatform(_ name: String) -> String {
        let lower = name.lowercased()
        return lower == "x" ? "twitter" : lower
    }

    static func fromProfileURL(_ text: String) throws(AccountReferenceError) -> (String, String) {
        let withScheme = text.contains("://") ? text : "https://" + text
        guard let components = URLComponents(string: withScheme), let host = components.host?.lowercased() else {
            throw AccountReferenceError("'\(text)' is not a profile URL")
        }
        let domain = host.split(separator: ".").suffix(2).joined(separator: ".")
        guard let platform = platformsByDomain[domain] else {
            throw AccountReferenceError(
                "\(domain) is not a platform Weft knows profile URLs of; give the handle and platform")
        }
        if platform == "facebook", let id = components.queryItems?.first(where: { $0.name == "id" })?.value {
            return (platform, id)
        }
        var segments = components.path.split(separator: "/").map(String.init)
        while let first = segments.first, prefixes.contains(first.lowercased()), segments.count > 1 {
            segments.removeFirst()
        }
        guard var handle = segments.first else { throw AccountReferenceError("'\(text)' names no account") }
        if handle.hasPrefix("@") { handle.removeFirst() }
        return (platform, handle)
    }

    /// Refuses email addresses, phone numbers and IP addresses, saying why.
    static func refusePersonalContactData(_ text: String) throws(AccountReferenceError) {
        let reason = "never leave a node (a later private-set-intersection tier may match them)"
        if text.range(of: #"^[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}$"#, options: .regularExpression) != nil {
            throw AccountReferenceError("email addresses are personal data and \(reason)")
        }
        if text.range(of: #"^\d{1,3}(\.\d{1,3}){3}$"#, options: .regularExpression) != nil
            || (text.contains(":") && text.range(of: #"^[0-9A-Fa-f:]+$"#, options: .regularExpression) != nil)
        {
            throw AccountReferenceError("IP addresses are personal data and \(reason)")
        }
        let digits = text.filter(\.isNumber).count
        if digits >= 7, text.range(of: #"^\+?[\d\s().-]+$"#, options: .regularExpression) != nil,
            text.hasPrefix("+") || text.contains(" ") || text.contains("-") || text.contains("(")
        {
            throw AccountReferenceError("phone numbers are personal data and \(reason)")
        }
    }
}

extension AccountReference {
    /// `account`: HMAC-SHA256 under the federation key's `account` sub-key over platform ‖ 0x00 ‖ handle.
    public func accountValue(key: FederationKey) -> String {
        key.mac("account", Array(platform.utf8) + [0] + Array(handle.utf8))
    }

    /// `handle`: HMAC-SHA256 under the `handle` sub-key over the handle alone, so one persona's handle reused on
    /// several platforms links them.
    public func handleValue(key: FederationKey) -> String {
        key.mac("handle", Array(handle.utf8))
    }

    /// `handle.shape`: runs of character classes of the handle as written, e.g. `SaraSil39636921` →
    /// `A a3 A a2 d8`. `A` upper case, `a` lower case (and other letters), `d` digits, `s` anything else; a run
    /// longer than one carries its length (capped at 99).
    public var shape: String {
        var runs: [(Character, Int)] = []
        for character in original {
            let cls: Character = character.isUppercase ? "A" : character.isLetter ? "a" : character.isNumber ? "d" : "s"
            if let last = runs.last, last.0 == cls { runs[runs.count - 1].1 += 1 } else { runs.append((cls, 1)) }
        }
        return runs.prefix(32).map { $0.1 == 1 ? String($0.0) : "\($0.0)\(min($0.1, 99))" }.joined(separator: " ")
    }
}

/// The key one pair of members uses for `account.link` values: derived with HKDF from a secret the two share,
/// bound to both origin ids (in sorted order, so both sides derive the same key).
public struct PairKey: Sendable {
    let key: SymmetricKey

    /// Derives the pair key.
    public init(sharedSecret: [UInt8], between first: OriginID, and second: OriginID) throws(AccountReferenceError) {
        guard sharedSecret.count >= 32 else { throw AccountReferenceError("a pair secret needs at least 32 bytes") }
        let ids = [first.hex, second.hex].sorted().joined(separator: ":")
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: sharedSecret), salt: Array("weft.pair.v1".utf8),
            info: Array("account.link:\(ids)".utf8), outputByteCount: 32)
    }

    /// `account.link`: HMAC-SHA256 under the pair key over platform ‖ 0x00 ‖ handle of an account on the other
    /// member's platform.
    public func linkValue(_ account: AccountReference) -> String {
        Hex.encode(
            HMAC<SHA256>.authenticationCode(
                for: Array(account.platform.utf8) + [0] + Array(account.handle.utf8), using: key))
    }
}
