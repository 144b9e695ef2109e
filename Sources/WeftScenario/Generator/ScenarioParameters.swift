/// The knobs of a simulated scenario. Each tier fixes a set of defaults; docs/scenario.md gives every parameter,
/// its default and why.
public struct ScenarioParameters: Sendable, Hashable {
    /// A named size.
    public enum Tier: String, Sendable, CaseIterable {
        /// A handful of small platforms: for unit tests and a first look (well under a second).
        case tiny
        /// Twenty platforms and a dozen operations, one spanning at least ten: for CI and the demo.
        case ci
        /// Sixty-four platforms and forty operations, one spanning sixty: for benchmarks.
        case stress
    }

    /// The tier the defaults came from.
    public var tier: Tier
    /// The seed: the same parameters and seed give byte-identical output.
    public var seed: UInt64
    /// How many platforms (each becomes one node).
    public var platforms: Int
    /// How many influence operations.
    public var operations: Int
    /// Length of the observed window in days; it starts on Monday 2026-03-23 00:00 UTC.
    public var days: Int
    /// Median number of ordinary accounts on a platform; sizes are log-normal around it.
    public var medianAccounts: Int
    /// Spread (σ of the logarithm) of platform sizes: a few large platforms, many small ones.
    public var platformSizeSpread: Double
    /// Viral memes shared organically across most platforms.
    public var memes: Int
    /// News organisations that post the same link on many platforms within a minute.
    public var syndicators: Int
    /// Hashtag bursts by real crowds.
    public var hashtagBursts: Int
    /// Side of the square source images in pixels (copies are resized and cropped from it).
    public var imageSide: Int
    /// At least one operation spans this many platforms (capped by `platforms`).
    public var widestOperation: Int

    /// The defaults of `tier`.
    public init(tier: Tier, seed: UInt64) {
        self.tier = tier
        self.seed = seed
        switch tier {
        case .tiny:
            platforms = 6
            operations = 2
            days = 7
            medianAccounts = 60
            memes = 3
            syndicators = 2
            hashtagBursts = 2
            imageSide = 96
            widestOperation = 4
        case .ci:
            platforms = 20
            operations = 12
            days = 28
            medianAccounts = 400
            memes = 10
            syndicators = 4
            hashtagBursts = 5
            imageSide = 128
            widestOperation = 10
        case .stress:
            platforms = 64
            operations = 40
            days = 28
            medianAccounts = 1_500
            memes = 25
            syndicators = 8
            hashtagBursts = 12
            imageSide = 128
            widestOperation = 60
        }
        platformSizeSpread = 0.9
    }

    /// Checks the parameters, naming the first one out of range.
    public func validate() throws(ScenarioError) {
        guard (2...500).contains(platforms) else { throw ScenarioError("--platforms must be 2…500, not \(platforms)") }
        guard (0...1_000).contains(operations) else {
            throw ScenarioError("--ops must be 0…1000, not \(operations)")
        }
        guard (1...366).contains(days) else { throw ScenarioError("days must be 1…366, not \(days)") }
        guard (10...1_000_000).contains(medianAccounts) else {
            throw ScenarioError("median accounts must be 10…1,000,000, not \(medianAccounts)")
        }
        guard (32...1024).contains(imageSide) else { throw ScenarioError("image side must be 32…1024") }
    }

    /// Unix time of the window's start: Monday 2026-03-23 00:00:00 UTC.
    public static let windowStart: Int64 = 1_774_224_000
}

/// Why a scenario cannot be generated, read or scored.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, and where.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
