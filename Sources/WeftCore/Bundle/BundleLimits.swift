/// Size limits on one bundle, enforced on receipt before anything else is read.
public struct BundleLimits: Sendable, Hashable {
    /// The most reports one bundle may carry.
    public var maximumReports: Int
    /// The most cases one bundle may carry.
    public var maximumCases: Int
    /// The most retractions one bundle may carry.
    public var maximumRetractions: Int
    /// The largest payload, in bytes.
    public var maximumPayloadBytes: Int
    /// The most bundles a node holds back for one feed while they wait for a gap to fill. Beyond it a bundle is
    /// refused (`held-limit`): a pull asks for it again, in order, once the gap is filled; a peer pushing bundles
    /// from far ahead cannot fill the store.
    public var maximumHeldPerFeed: Int = 1_024

    /// The most envelope bytes that can hold a payload of the maximum size (base64 grows by 4/3, plus fields).
    public var maximumEnvelopeBytes: Int { (maximumPayloadBytes + 2) / 3 * 4 + 4096 }

    /// Creates limits.
    public init(
        maximumReports: Int = 1_000, maximumCases: Int = 1_000, maximumRetractions: Int = 1_000,
        maximumPayloadBytes: Int = 1 << 20
    ) {
        self.maximumReports = maximumReports
        self.maximumCases = maximumCases
        self.maximumRetractions = maximumRetractions
        self.maximumPayloadBytes = maximumPayloadBytes
    }

    /// The protocol's limits (DESIGN.md §3): 1,000 reports or 1 MiB of payload per bundle.
    public static let standard = BundleLimits()
}
