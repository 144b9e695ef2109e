import WeftCore

/// The merge's knobs, in one place so docs/merge.md can name each one and `weft bench merge` can measure them.
public struct MergePolicy: Sendable, Hashable {
    /// PDQ near matches: Hamming distance at most this (DESIGN.md §2).
    public var pdqDistance = 31
    /// MinHash near matches: estimated Jaccard at least this.
    public var textSimilarity = 0.7
    /// Schedule fingerprints agree at cosine at least this.
    public var scheduleCosine = 0.9
    /// Items reported by more cases than this are too common to say anything about coordination.
    public var maximumCasesPerItem = 60
    /// An item whose exclusivity is below this is organic content and links nothing.
    public var minimumExclusivity = 0.4
    /// An edge of a single evidence family needs at least this weight to count on its own.
    public var singleFamilyWeight = 20.0
    /// Any edge needs at least this weight.
    public var minimumEdgeWeight = 1.5
    /// An item links only if at least this many flagged accounts posted it, over all reporters (an identity: if
    /// at least this many cases report it).
    public var minimumSupport = 3
    /// A family counts as independent evidence on an edge only with at least this weight.
    public var minimumFamilyWeight = 0.5
    /// An operation needs a case at least this big (log₂ bucket; 2 means two or more accounts).
    public var minimumCaseBucket = 2
    /// A bridge between two communities of at least `minimumCommunitySize` cases is cut when its weight is below
    /// this share of the weaker community's median edge weight (0 turns cutting off).
    public var bridgeRatio = 0.5
    /// Cases each side of a bridge needs before the bridge can be cut.
    public var minimumCommunitySize = 3

    /// The defaults.
    public init() {}

    /// What kind of evidence an indicator kind is. Two items of one family are not independent evidence.
    public enum Family: String, Sendable, Hashable, CaseIterable, Comparable {
        case text, image, link, identity, hashtag, schedule

        public static func < (lhs: Family, rhs: Family) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The family's position among the six, for storage indexed by family.
        var slot: Int {
            switch self {
            case .text: 0
            case .image: 1
            case .link: 2
            case .identity: 3
            case .hashtag: 4
            case .schedule: 5
            }
        }
    }

    /// The family of a kind, or nil for kinds that never link cases (handle shapes are shared by whole styles of
    /// handle; `account.link` values are pair-keyed and compared elsewhere).
    public static func family(of kind: IndicatorKind) -> Family? {
        switch kind {
        case .textSHA256, .textMinHash: .text
        case .pdq, .sha256, .md5: .image
        case .url, .domain: .link
        case .account, .handle: .identity
        case .hashtag: .hashtag
        case .schedule: .schedule
        case .handleShape, .accountLink: nil
        }
    }

    /// How much one shared item of a kind weighs before exclusivity and trust. Exact texts and media, URLs and
    /// handles are specific; a domain or a hashtag is shared by many unrelated stories.
    public static func weight(of kind: IndicatorKind) -> Double {
        switch kind {
        case .textSHA256, .sha256, .url, .handle, .account: 1.0
        // The MD5 of a file says nothing its SHA-256 does not; counting both would weigh every file twice.
        case .md5: 0
        case .textMinHash, .pdq: 0.8
        case .hashtag, .domain: 0.5
        case .schedule: 0.5
        case .handleShape, .accountLink: 0
        }
    }
}
