/// An operation the merge found: cases on several platforms joined by evidence that is exclusive to flagged
/// accounts. Its JSON form is docs/operations-format.md.
public struct MergedOperation: Sendable, Codable, Hashable {
    /// One case of the operation.
    public struct CaseReference: Sendable, Codable, Hashable {
        public var origin: String
        public var originName: String
        public var channel: String
        public var caseID: String
        public var status: String

        enum CodingKeys: String, CodingKey {
            case origin, channel, status
            case originName = "origin_name"
            case caseID = "case"
        }
    }

    /// One item of evidence and why it links.
    public struct Evidence: Sendable, Codable, Hashable {
        public var kind: String
        public var value: String
        public var reason: String
        public var weight: Double
    }

    /// When the operation was seen on one platform.
    public struct PlatformActivity: Sendable, Codable, Hashable {
        public var platform: String
        public var cases: Int
        public var firstSeen: String
        public var lastSeen: String

        enum CodingKeys: String, CodingKey {
            case platform, cases
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
        }
    }

    /// Stable id: derived from the operation's first case, so it survives updates that only add cases.
    public var id: String
    public var platforms: [String]
    public var cases: [CaseReference]
    public var evidence: [Evidence]
    /// Evidence families that agree, e.g. `["image", "link", "text"]`.
    public var families: [String]
    public var confidence: Double
    public var firstSeen: String
    public var lastSeen: String
    public var timeline: [PlatformActivity]
    /// Labels of its cases, sorted.
    public var labels: [String]
    /// DISARM techniques and kill-chain codes, with how many of its cases carry each.
    public var labelProfile: [String: Int]
    /// Mean schedule fingerprint of its cases (168 hex digits), when any case had one.
    public var schedule: String?
    /// Best-fit office time zone of the schedule, hours from UTC.
    public var bestFitUTCOffset: Int?

    enum CodingKeys: String, CodingKey {
        case id, platforms, cases, evidence, families, confidence, timeline, labels, schedule
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case bestFitUTCOffset = "best_fit_utc_offset"
        case labelProfile = "label_profile"
    }
}

extension MergedOperation {
    /// The filters of `weft ops list` and the analyst API: at least `minPlatforms` platforms, carrying `label`
    /// (if given), last seen on or after the day `since` (YYYY-MM-DD, if given).
    public func matches(minPlatforms: Int = 1, label: String? = nil, since: String? = nil) -> Bool {
        platforms.count >= minPlatforms && (label.map { labels.contains($0) } ?? true)
            && (since.map { lastSeen >= $0 } ?? true)
    }
}
