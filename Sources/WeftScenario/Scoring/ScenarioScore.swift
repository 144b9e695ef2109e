/// How well a set of operations matches a scenario's ground truth (docs/scenario.md, "Scoring").
public struct ScenarioScore: Sendable, Encodable {
    /// One true operation's outcome.
    public struct OperationOutcome: Sendable, Encodable {
        public var id: String
        /// Platforms it runs on, and those where the platform flagged at least one of its accounts.
        public var platforms: Int
        public var reachablePlatforms: Int
        /// All its accounts, and those flagged (the only ones a merge can see).
        public var accounts: Int
        public var flaggedAccounts: Int
        /// The predicted operation that holds most of its flagged accounts, if any.
        public var matchedBy: String?
        /// Share of reachable platforms, and of flagged accounts, inside `matchedBy`.
        public var platformRecall: Double
        public var accountRecall: Double
        /// Size stratum by platform count: `2-3`, `4-9`, `10-29` or `30+`.
        public var stratum: String
    }

    /// One predicted operation's outcome.
    public struct ClusterOutcome: Sendable, Encodable {
        public var id: String
        /// Flagged accounts it holds (through its cases).
        public var accounts: Int
        /// The true operation most of its accounts belong to, or nil when ordinary accounts dominate.
        public var majority: String?
        /// Share of its accounts in `majority`.
        public var precision: Double
        /// Share of its evidence items that are organic content (memes, syndicated news, bursts, state media).
        public var hardNegativeEvidence: Double?
        /// True when it is built on organic content: ordinary accounts dominate, or most evidence is organic.
        public var builtOnOrganicContent: Bool
    }

    /// Averages over operations of one size stratum.
    public struct Stratum: Sendable, Encodable {
        public var name: String
        public var operations: Int
        public var platformRecall: Double
        public var accountRecall: Double
    }

    /// Mean per-operation platform recall over operations flagged on at least two platforms (the ones a federation
    /// can reveal; an operation flagged on one platform is that platform's own finding).
    public var platformRecall: Double
    /// Mean per-operation account recall (of flagged accounts), over the same operations.
    public var accountRecall: Double
    /// Accounts in predicted operations that belong to the cluster's majority operation, over all such accounts.
    public var clusterPrecision: Double
    /// Σ nₖpₖ² / Σ nₖpₖ over predicted operations k of size nₖ and precision pₖ.
    public var weightedPrecision: Double
    /// Adjusted Rand index over all flagged accounts (ordinary accounts and accounts in no operation are singletons).
    public var adjustedRandIndex: Double
    /// Predicted operations built on organic content.
    public var organicContentClusters: Int
    /// Ordinary UTC+8 accounts placed in any operation, over all ordinary UTC+8 accounts in the scenario.
    public var organicUTC8FalsePositiveRate: Double
    public var organicUTC8FalsePositives: Int
    /// Operations that no platform flagged at all (left out of the recall averages).
    public var unreachableOperations: [String]
    /// Operations flagged on exactly one platform (left out of the recall averages), and those of them that a
    /// predicted operation holds anyway.
    public var singlePlatformOperations: [String]
    public var singlePlatformOperationsFound: [String]
    /// Cases named by the answer that the truth does not know.
    public var unknownCases: Int
    public var strata: [Stratum]
    public var operations: [OperationOutcome]
    public var clusters: [ClusterOutcome]
}
