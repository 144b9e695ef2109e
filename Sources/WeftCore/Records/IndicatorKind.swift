/// The kinds of indicator that can cross the wire (DESIGN.md §2), each with its value format and privacy tier.
///
/// Personal contact data (email addresses, phone numbers, IP addresses) is not a kind: ``init(validating:)``
/// refuses those names with a reason, because such values never leave a node.
public enum IndicatorKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case pdq
    case md5
    case sha256
    case textSHA256 = "text.sha256"
    case textMinHash = "text.minhash"
    case url
    case domain
    case account
    case handle
    case accountLink = "account.link"
    case hashtag
    case handleShape = "handle.shape"
    case schedule

    /// How a value of this kind may be shared.
    public enum PrivacyTier: String, Sendable {
        /// The value itself is not personal (content hashes, public URLs).
        case clear
        /// A keyed hash under the federation key: joinable by members only.
        case federationKeyed = "keyed-federation"
        /// A keyed hash under a key shared by one pair of members: sent to that member only.
        case pairKeyed = "keyed-pair"
        /// An aggregate over a case of at least k accounts.
        case aggregate
    }

    /// Names that look like indicator kinds but carry personal data, with the reason they are refused.
    public static let refusedKinds: [String: String] = [
        "email":
            "email addresses are personal data and never leave a node (a later private-set-intersection tier may match them)",
        "phone":
            "phone numbers are personal data and never leave a node (a later private-set-intersection tier may match them)",
        "ip":
            "IP addresses are personal data and never leave a node (a later private-set-intersection tier may match them)",
        "ipv4":
            "IP addresses are personal data and never leave a node (a later private-set-intersection tier may match them)",
        "ipv6":
            "IP addresses are personal data and never leave a node (a later private-set-intersection tier may match them)",
    ]

    /// Parses a kind name, explaining why personal-data kinds and unknown names are refused.
    public init(validating name: String) throws(RecordError) {
        if let kind = IndicatorKind(rawValue: name) {
            self = kind
        } else if let reason = Self.refusedKinds[name.lowercased()] {
            throw RecordError(record: "", field: "kind", reason: "'\(name)' is refused: \(reason)")
        } else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw RecordError(record: "", field: "kind", reason: "unknown kind '\(name)' (known: \(known))")
        }
    }

    /// The privacy tier of this kind.
    public var privacyTier: PrivacyTier {
        switch self {
        case .pdq, .md5, .sha256, .textSHA256, .url, .domain, .hashtag, .handleShape: .clear
        case .textMinHash, .account, .handle: .federationKeyed
        case .accountLink: .pairKeyed
        case .schedule: .aggregate
        }
    }

    public static func < (lhs: IndicatorKind, rhs: IndicatorKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
