import Foundation

/// What really happened in a scenario. Only the scorer reads it; nodes never see it.
public struct GroundTruth: Codable, Sendable {
    /// Format version.
    public var version = 1
    public var tier: String
    public var seed: UInt64
    /// First second of the window, `YYYY-MM-DDTHH:MM:SSZ`.
    public var windowStart: String
    public var days: Int
    public var platforms: [PlatformTruth]
    public var operations: [OperationTruth]
    /// Values of organic content that spreads widely: what must never be the basis of an operation.
    public var hardNegatives: HardNegatives

    enum CodingKeys: String, CodingKey {
        case version, tier, seed, days, platforms, operations
        case windowStart = "window_start"
        case hardNegatives = "hard_negatives"
    }

    /// Reads `truth.json`.
    public static func read(from path: String) throws -> GroundTruth {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError("cannot read \(path)")
        }
        do { return try ScenarioJSON.decoder.decode(GroundTruth.self, from: data) } catch {
            throw ScenarioError("\(path) is not a Weft ground-truth file: \(error)")
        }
    }
}

/// One platform's truth.
public struct PlatformTruth: Codable, Sendable {
    public var name: String
    public var domain: String
    /// All accounts on the platform.
    public var accounts: Int
    /// Ordinary (non-operation) accounts whose users live in UTC+8.
    public var organicUTC8: Int
    public var flagsNothing: Bool
    /// Every account of each operation present here, flagged or not, by operation id.
    public var operationAccounts: [String: [String]]
    /// The platform's flagged cases: case id → account ids.
    public var cases: [String: [String]]
    /// What each flagged account really is: `operation:ID`, `organic`, `meme-sharer`, `hashtag-crowd`, `syndicator`.
    public var roles: [String: String]
    /// Flagged ordinary accounts in UTC+8 (false positives the merge must not promote).
    public var flaggedUTC8Organic: [String]
    /// Media files (under `media/`) that are personal photos: their hashes must never leave the node.
    public var personalPhotos: [String]

    enum CodingKeys: String, CodingKey {
        case name, domain, accounts, cases, roles
        case organicUTC8 = "organic_utc8"
        case flagsNothing = "flags_nothing"
        case operationAccounts = "operation_accounts"
        case flaggedUTC8Organic = "flagged_utc8_organic"
        case personalPhotos = "personal_photos"
    }
}

/// One operation's truth.
public struct OperationTruth: Codable, Sendable {
    public var id: String
    /// Platform names it runs on.
    public var platforms: [String]
    /// Its accounts over all platforms.
    public var accounts: Int
    public var labels: [String]
}

/// Indicator values of organic content: viral memes, syndicated news, hashtag bursts and state-media links.
public struct HardNegatives: Codable, Sendable {
    /// SHA-256 and MD5 of every meme copy written.
    public var mediaDigests: [String]
    /// PDQ of each meme's original picture (copies lie within a small Hamming distance of it).
    public var pdq: [String]
    /// `text.sha256` of meme captions.
    public var textSHA256: [String]
    /// Syndicated article URLs and state-media URLs.
    public var urls: [String]
    /// Domains of syndicators and state media.
    public var domains: [String]
    /// Hashtags of bursts.
    public var hashtags: [String]

    enum CodingKeys: String, CodingKey {
        case pdq, urls, domains, hashtags
        case mediaDigests = "media_digests"
        case textSHA256 = "text_sha256"
    }
}

/// The JSON conventions of scenario files: snake_case keys, sorted, `/` unescaped, so output is byte-stable.
enum ScenarioJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder {
        JSONDecoder()
    }
}
