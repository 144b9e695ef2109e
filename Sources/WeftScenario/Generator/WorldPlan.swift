import Foundation
import WeftCore
import WeftHashing

/// One platform of the scenario.
struct PlatformPlan: Sendable {
    let index: Int
    let name: String
    let domain: String
    /// Ordinary accounts (operations and syndicators come on top).
    let organicAccounts: Int
    /// A small platform whose trust-and-safety team flags nothing at all.
    let flagsNothing: Bool
}

/// One influence operation: where it runs, how big it is there, and what it pushes.
struct OperationPlan: Sendable {
    let index: Int
    var id: String { "op-\(index < 9 ? "0" : "")\(index + 1)" }
    /// Platform indices, with the operation's account count and the platform's flagging recall on each.
    let platforms: [Int]
    let accounts: [Int]
    let recall: [Double]
    let headlines: [Headline]
    let imageSeeds: [UInt64]
    let domains: [String]
    let hashtags: [String]
    /// Handles its personas reuse on several platforms.
    let personas: [String]
    /// `0`: name fragment + 8 digits; `1`: word_word + 4 digits; `2`: word + 6 digits.
    let handleStyle: Int
    /// DISARM techniques and kill-chain codes its cases are labelled with.
    let labels: [String]
    /// Days before the window on which it created accounts in bursts.
    let creationDays: [Int]
    /// Median posts per account over the window.
    let postsPerAccount: Double
}

/// A picture that goes viral: shared by ordinary users on most platforms, in slightly different copies.
struct MemePlan: Sendable {
    let seed: UInt64
    let caption: String
    let start: Int64
    /// Share of a platform's ordinary accounts that post it, by platform index (0 where it never arrives).
    let shareRate: [Double]
}

/// A news organisation posting each article on many platforms within a minute.
struct SyndicatorPlan: Sendable {
    struct Article: Sendable {
        let time: Int64
        let url: String
        let headline: String
    }

    let handle: String
    let displayName: String
    let platforms: [Int]
    let articles: [Article]
}

/// A hashtag a real crowd uses within a few hours on several platforms.
struct HashtagBurstPlan: Sendable {
    let tag: String
    let start: Int64
    let hours: Int
    /// Share of ordinary accounts that join in, by platform index (0 where it does not trend).
    let rate: [Double]
}

/// Everything decided before any platform is generated, so platforms can be generated in parallel.
struct WorldPlan: Sendable {
    let parameters: ScenarioParameters
    let rhythm: PostingRhythm
    let vocabulary: Vocabulary
    let platforms: [PlatformPlan]
    let operations: [OperationPlan]
    let memes: [MemePlan]
    let syndicators: [SyndicatorPlan]
    let bursts: [HashtagBurstPlan]
    /// Links ordinary users share, most popular first (syndicated articles and other news).
    let newsLinks: [String]
    let newsPopularity: ZipfTable
    /// Links to state media, which operations and some ordinary users share.
    let stateMediaLinks: [String]
    /// Everyday hashtags, most popular first.
    let hashtags: [String]
    let hashtagPopularity: ZipfTable

    static let platformWords = """
        alder basalt cinder dune ember fjord garnet heron iris juniper kelp lichen marble nettle onyx pumice quartz \
        reed sorrel thistle umber vale willow yarrow zephyr aspen bramble cobalt delta elm flint glade hazel indigo \
        jasper kestrel lumen moss nimbus orchid pebble quill rowan sage tundra upland violet wren xylem yew zinc \
        acorn birch clover drift estuary fern grove heath ivy jade knoll larch meadow
        """.split(separator: " ").map(String.init)

    init(parameters: ScenarioParameters, publishedHeadlines: [Headline]) {
        self.parameters = parameters
        let seed = parameters.seed
        rhythm = PostingRhythm(start: ScenarioParameters.windowStart, days: parameters.days)
        let vocabulary = Vocabulary(tail: 2_000, seed: seed)
        self.vocabulary = vocabulary
        var random = SeededRandom.stream(seed: seed, "world")

        var platforms: [PlatformPlan] = []
        for index in 0..<parameters.platforms {
            let word = Self.platformWords[index % Self.platformWords.count]
            let name = index < Self.platformWords.count ? word : "\(word)\(index / Self.platformWords.count + 1)"
            let size = max(
                20,
                Int(random.logNormal(median: Double(parameters.medianAccounts), sigma: parameters.platformSizeSpread)))
            let small = size < parameters.medianAccounts
            platforms.append(
                PlatformPlan(
                    index: index, name: name, domain: "\(name).example", organicAccounts: size,
                    flagsNothing: small && random.chance(0.25)))
        }
        self.platforms = platforms

        // Published headlines are dealt out so no two operations share one.
        var published = publishedHeadlines
        for position in published.indices.reversed() { published.swapAt(position, random.int(in: 0...position)) }
        let weights = platforms.map { Double($0.organicAccounts).squareRoot() }
        var operations: [OperationPlan] = []
        for index in 0..<parameters.operations {
            let widest = min(parameters.widestOperation, parameters.platforms)
            let span =
                index == 0
                ? widest : random.logUniform(in: 2...min(60, parameters.platforms))
            var chosen: [Int] = []
            var remaining = weights
            for _ in 0..<span {
                let pick = random.weighted(remaining)
                chosen.append(pick)
                remaining[pick] = 0
            }
            chosen.sort()
            let accounts = chosen.map { platform -> Int in
                let scale = (Double(platforms[platform].organicAccounts) / Double(parameters.medianAccounts))
                    .squareRoot()
                return min(300, max(2, Int(random.logNormal(median: 7 * scale, sigma: 0.7))))
            }
            let recall = chosen.map { platforms[$0].flagsNothing ? 0 : random.double(in: 0.3...0.9) }
            let share = published.isEmpty ? 0 : min(published.count, random.int(in: 0...6))
            let own = Array(published.prefix(share))
            published.removeFirst(share)
            let headlines = HeadlineWriter.pool(
                count: random.int(in: 12...36), published: own, operation: index,
                ownWord: vocabulary.words["en"]![400 + index * 3].capitalizedFirst, &random)
            let domainCount = random.int(in: 1...3)
            let domains = (0..<domainCount).map { _ in
                "\(vocabulary.word("en", &random))-\(random.pick(["voice", "daily", "times", "truth", "focus"])).example"
            }
            let tags = (0..<random.int(in: 1...2)).map { number in
                "#\(random.pick(["Expose", "Truth", "Stop", "Real", "Wake"]))\(random.pick(HeadlineWriter.topics).0.split(separator: " ").last!.capitalized)\(index + 1)\(number)"
            }
            let personas = (0..<random.int(in: 2...6)).map { _ in
                Self.operationHandle(style: 0, &random)
            }
            let techniques = [
                "disarm:1.6:T0049.001", "disarm:1.6:T0084.001", "disarm:1.6:T0090.001", "disarm:1.6:T0104.002",
                "disarm:1.6:T0086.002", "disarm:1.6:T0023.001",
            ]
            let labels =
                Array(random.sample(random.int(in: 2...4), from: techniques.count).map { techniques[$0] }.sorted())
                + ["killchain:0.9.1", "killchain:6.1.3"]
            operations.append(
                OperationPlan(
                    index: index, platforms: chosen, accounts: accounts, recall: recall, headlines: headlines,
                    imageSeeds: (0..<random.int(in: 3...8)).map { _ in random.next() }, domains: domains,
                    hashtags: tags,
                    personas: personas, handleStyle: random.int(in: 0...2), labels: labels,
                    creationDays: (0..<random.int(in: 1...3)).map { _ in random.int(in: 20...120) },
                    postsPerAccount: Double(parameters.days) * random.double(in: 0.6...1.4)))
        }
        self.operations = operations

        let start = rhythm.start
        let windowSeconds = Int64(parameters.days) * 86_400
        memes = (0..<parameters.memes).map { _ in
            let reach = random.double(in: 0.7...0.95)
            return MemePlan(
                seed: random.next(),
                caption: vocabulary.sentence("en", words: random.int(in: 5...9), &random) + " 😂",
                start: start + Int64(random.double(in: 0...0.8) * Double(windowSeconds)),
                shareRate: platforms.map { _ in random.chance(reach) ? random.double(in: 0.02...0.08) : 0 })
        }

        var syndicators: [SyndicatorPlan] = []
        var newsLinks: [String] = []
        for index in 0..<parameters.syndicators {
            let word = vocabulary.words["en"]![200 + index * 7]
            let domain = "\(word)-news.example"
            let reach = random.double(in: 0.4...0.9)
            let onPlatforms = platforms.indices.filter { _ in random.chance(reach) }
            var articles: [SyndicatorPlan.Article] = []
            for day in 0..<parameters.days {
                for number in 0..<random.int(in: 2...5) {
                    let time = start + Int64(day * 86_400 + random.int(in: 6 * 3_600...22 * 3_600))
                    let slug = (0..<4).map { _ in vocabulary.word("en", &random) }.joined(separator: "-")
                    let url = "https://\(domain)/\(UTCTime.day(time).replacingSlashes)/\(slug)-\(day)\(number)"
                    articles.append(
                        .init(
                            time: time, url: url,
                            headline: vocabulary.sentence("en", words: random.int(in: 7...12), &random)))
                }
            }
            syndicators.append(
                SyndicatorPlan(
                    handle: "\(word)news", displayName: "\(word.capitalized) News", platforms: onPlatforms,
                    articles: articles))
            newsLinks += articles.map(\.url)
        }
        for index in 0..<(parameters.days * 20) {
            newsLinks.append(
                "https://\(vocabulary.words["en"]![300 + index % 40])-post.example/story/\(index)")
        }
        for position in newsLinks.indices.reversed() { newsLinks.swapAt(position, random.int(in: 0...position)) }
        self.syndicators = syndicators
        self.newsLinks = newsLinks
        newsPopularity = ZipfTable(count: newsLinks.count, exponent: 1.1)
        stateMediaLinks = (0..<12).map { index in
            "https://\(index % 2 == 0 ? "eastern-herald" : "global-daily").example/opinion/\(2026_000 + index * 13)"
        }

        bursts = (0..<parameters.hashtagBursts).map { _ in
            let reach = random.double(in: 0.3...0.8)
            return HashtagBurstPlan(
                tag: "#\(vocabulary.word("en", &random).capitalized)\(random.pick(["Final", "Day", "Live", "Now"]))",
                start: start + Int64(random.double(in: 0...0.9) * Double(windowSeconds)),
                hours: random.int(in: 3...8),
                rate: platforms.map { _ in random.chance(reach) ? random.double(in: 0.05...0.15) : 0 })
        }
        hashtags = (0..<200).map { "#" + vocabulary.word(Vocabulary.languages[$0 % 5], &random) }
        hashtagPopularity = ZipfTable(count: hashtags.count, exponent: 1.0)
    }

    /// A handle in an operation's style: `0` name fragment + 8 digits (as in Meta's Spamouflage report),
    /// `1` word_word + 4 digits, `2` word + 6 digits.
    static func operationHandle(style: Int, _ random: inout SeededRandom) -> String {
        let first = [
            "Zoe", "Heidi", "Garcia", "Angelica", "Jasmyn", "Safegua", "Emma", "Olivia", "Mia", "Lucas", "Noah",
        ]
        let second = ["Rich", "Creel", "Salaza", "Mouton", "Brown", "Smith", "Lee", "Wong", "Hall", "King"]
        func digits(_ count: Int) -> String { (0..<count).map { _ in String(random.int(in: 0...9)) }.joined() }
        switch style {
        case 0: return random.pick(first) + random.pick(second) + digits(8)
        case 1: return "\(random.pick(first).lowercased())_\(random.pick(second).lowercased())\(digits(4))"
        default: return random.pick(second).lowercased() + digits(6)
        }
    }
}

extension String {
    /// `2026-03-23` → `2026/03/23`, for news URLs.
    var replacingSlashes: String { String(map { $0 == "-" ? "/" : $0 }) }
}
