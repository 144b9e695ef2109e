import Foundation
import Synchronization
import WeftCore
import WeftHashing

/// What `weft simulate` wrote.
public struct ScenarioSummary: Sendable, Encodable {
    /// One platform's folder.
    public struct Platform: Sendable, Encodable {
        public var name: String
        public var accounts: Int
        public var posts: Int
        public var mediaFiles: Int
        public var flaggedAccounts: Int
        public var cases: Int
    }

    public var tier: String
    public var seed: UInt64
    public var directory: String
    public var platforms: [Platform]
    public var operations: Int
    /// Platforms spanned by the widest operation.
    public var widestOperation: Int
}

/// Writes a seeded scenario: one folder per platform (its raw export) and `truth.json`.
///
/// Layout (docs/scenario.md): `DIR/scenario.json` (public: tier, seed, window, platform names),
/// `DIR/truth.json` (the scorer's only), and `DIR/NAME/` per platform with `platform.json`, `accounts.jsonl`,
/// `posts.jsonl`, `flagged.jsonl` and `media/`. Platforms are generated in parallel, each from its own random
/// stream, so output is byte-identical for a seed whatever the thread timing.
public struct ScenarioGenerator: Sendable {
    public let parameters: ScenarioParameters
    let world: WorldPlan

    /// Plans the scenario; `publishedHeadlines` (from a takedown report) seed part of the operations' headlines.
    public init(parameters: ScenarioParameters, publishedHeadlines: [Headline] = []) throws(ScenarioError) {
        try parameters.validate()
        self.parameters = parameters
        world = WorldPlan(parameters: parameters, publishedHeadlines: publishedHeadlines)
    }

    /// Generates and writes everything under `directory`, which must not exist or be empty. `progress` is called
    /// as each platform is written (from worker threads).
    public func write(to directory: String, progress: (@Sendable (String) -> Void)? = nil) throws -> ScenarioSummary {
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw ScenarioError("\(directory) is not empty; choose a new folder")
        }
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let results = Mutex<[Int: Result<(PlatformTruth, ScenarioSummary.Platform, [String]), any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: world.platforms.count) { index in
            let outcome = Result { () throws -> (PlatformTruth, ScenarioSummary.Platform, [String]) in
                var generator = PlatformGenerator(world: world, platform: world.platforms[index])
                let platform = try generator.generate()
                let summary = try Self.writePlatform(platform, into: directory)
                progress?(
                    "\(summary.name): \(summary.accounts) accounts, \(summary.posts) posts, \(summary.mediaFiles) media files"
                )
                return (platform.truth, summary, platform.memeDigests)
            }
            results.withLock { $0[index] = outcome }
        }
        var truths: [PlatformTruth] = []
        var summaries: [ScenarioSummary.Platform] = []
        var memeDigests: Set<String> = []
        for index in world.platforms.indices {
            let (truth, summary, digests) = try results.withLock { $0[index]! }.get()
            truths.append(truth)
            summaries.append(summary)
            memeDigests.formUnion(digests)
        }
        let truth = groundTruth(platforms: truths, memeDigests: memeDigests.sorted())
        try ScenarioJSON.encoder.encode(truth).write(to: URL(fileURLWithPath: "\(directory)/truth.json"))
        let description: JSONValue = .object([
            "tier": .string(parameters.tier.rawValue), "seed": .string(String(parameters.seed)),
            "window_start": .string(UTCTime.text(world.rhythm.start)), "days": .integer(parameters.days),
            "platforms": .array(
                world.platforms.map { .object(["name": .string($0.name), "domain": .string($0.domain)]) }),
        ])
        try Data(CanonicalJSON.encode(description) + [0x0A]).write(
            to: URL(fileURLWithPath: "\(directory)/scenario.json"))
        return ScenarioSummary(
            tier: parameters.tier.rawValue, seed: parameters.seed, directory: directory, platforms: summaries,
            operations: world.operations.count, widestOperation: world.operations.map(\.platforms.count).max() ?? 0)
    }

    private static func writePlatform(
        _ platform: GeneratedPlatform, into directory: String
    ) throws
        -> ScenarioSummary.Platform
    {
        let folder = "\(directory)/\(platform.truth.name)"
        try FileManager.default.createDirectory(atPath: "\(folder)/media", withIntermediateDirectories: true)
        func writeLines(_ name: String, _ lines: [JSONValue]) throws {
            var bytes: [UInt8] = []
            for line in lines {
                bytes += try CanonicalJSON.encode(line)
                bytes.append(0x0A)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
        let header: JSONValue = .object([
            "name": .string(platform.truth.name), "domain": .string(platform.truth.domain), "format": .integer(1),
        ])
        try writeLines("platform.json", [header])
        try writeLines("accounts.jsonl", platform.accounts.map(\.json))
        try writeLines("posts.jsonl", platform.posts.map(\.json))
        try writeLines("flagged.jsonl", platform.flags.map(\.json))
        for file in platform.media {
            try Data(file.bytes).write(to: URL(fileURLWithPath: "\(folder)/media/\(file.name)"))
        }
        return .init(
            name: platform.truth.name, accounts: platform.accounts.count, posts: platform.posts.count,
            mediaFiles: platform.media.count, flaggedAccounts: platform.flags.count, cases: platform.truth.cases.count)
    }

    private func groundTruth(platforms: [PlatformTruth], memeDigests: [String]) -> GroundTruth {
        let operations = world.operations.map { plan in
            OperationTruth(
                id: plan.id, platforms: plan.platforms.map { world.platforms[$0].name },
                accounts: plan.accounts.reduce(0, +), labels: plan.labels)
        }
        let captions = world.memes.flatMap { meme in
            [meme.caption] + ["lol", "😂😂", "so true"].map { meme.caption + " " + $0 }
        }
        let syndicated = world.syndicators.flatMap { $0.articles.map(\.url) }
        let hostOf = { (url: String) in String(url.dropFirst("https://".count).prefix { $0 != "/" }) }
        let negatives = HardNegatives(
            mediaDigests: memeDigests,
            pdq: world.memes.map {
                PDQHasher.hash(ImageSynthesis.picture(seed: $0.seed, side: parameters.imageSide)).hash.hex
            },
            textSHA256: captions.map { Hex.sha256(Array(TextNormalizer.normalize($0).utf8)) }.sorted(),
            urls: (syndicated + world.stateMediaLinks).sorted(),
            domains: Array(Set((syndicated + world.stateMediaLinks).map(hostOf))).sorted(),
            hashtags: world.bursts.map(\.tag).sorted())
        return GroundTruth(
            tier: parameters.tier.rawValue, seed: parameters.seed, windowStart: UTCTime.text(world.rhythm.start),
            days: parameters.days, platforms: platforms, operations: operations, hardNegatives: negatives)
    }
}
