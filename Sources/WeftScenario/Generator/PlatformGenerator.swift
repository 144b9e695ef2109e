import Crypto
import WeftCore
import WeftHashing

/// Who an account really is; only the ground truth knows.
enum AccountRole: Sendable, Hashable {
    case organic
    case operation(Int)
    case syndicator(Int)
}

/// One platform's generated export and its slice of the ground truth.
struct GeneratedPlatform: Sendable {
    var accounts: [AccountRecord]
    var posts: [PostRecord]
    var flags: [FlagRecord]
    /// Media files by name, sorted by name.
    var media: [(name: String, bytes: [UInt8])]
    var truth: PlatformTruth
    /// SHA-256 and MD5 of every meme copy written here (hard negatives for the scorer).
    var memeDigests: [String]
}

/// Generates one platform from the world plan, with a random stream of its own.
struct PlatformGenerator {
    let world: WorldPlan
    let platform: PlatformPlan
    var random: SeededRandom

    var accounts: [SimAccount] = []
    var posts: [SimPost] = []
    var media: [String: [UInt8]] = [:]
    var personalPhotos: [String] = []
    var memeDigests: [String] = []
    var memeCopies: [Int: String] = [:]
    var pictures: [UInt64: RGBImage] = [:]
    var handles: Set<String> = []

    struct SimAccount {
        var handle: String
        var displayName: String
        var created: Int64
        var role: AccountRole
        var utcOffset: Int
        var language: String
        var sharedMeme = false
        var joinedBurst = false
    }

    struct SimPost {
        var account: Int
        var time: Int64
        var text: String
        var links: [String] = []
        var media: [String] = []
    }

    init(world: WorldPlan, platform: PlatformPlan) {
        self.world = world
        self.platform = platform
        random = SeededRandom.stream(seed: world.parameters.seed, "platform", platform.index)
    }

    mutating func generate() throws -> GeneratedPlatform {
        try addOrganicAccounts()
        try addMemeShares()
        addSyndicators()
        addHashtagBursts()
        let operationMembers = try addOperations()
        return try finish(operationMembers: operationMembers)
    }

    // MARK: ordinary users

    mutating func addOrganicAccounts() throws {
        let zones = PostingRhythm.timeZones
        let firstNames = ["maria", "kevin", "li", "anna", "omar", "yuki", "lena", "ivan", "sofia", "wei", "jon", "ana"]
        for _ in 0..<platform.organicAccounts {
            let zone = zones[random.weighted(zones.map(\.weight))]
            let language = random.pick(zone.languages)
            let name = random.pick(firstNames)
            var handle = name
            if random.chance(0.5) { handle += "_" + world.vocabulary.word("en", &random) }
            if random.chance(0.6) { handle += String(random.int(in: 1...9_999)) }
            let account = SimAccount(
                handle: unique(handle), displayName: "\(name.capitalizedFirst) \(world.vocabulary.word("en", &random))",
                created: world.rhythm.start - Int64(random.int(in: 30...1_800)) * 86_400, role: .organic,
                utcOffset: zone.offset, language: language)
            accounts.append(account)
            let index = accounts.count - 1
            let count = min(
                world.parameters.days * 8, Int(random.logNormal(median: 0.25 * Double(world.parameters.days), sigma: 1))
            )
            for _ in 0..<count { try addOrganicPost(by: index) }
        }
    }

    mutating func addOrganicPost(by index: Int) throws {
        let account = accounts[index]
        var post = SimPost(
            account: index, time: world.rhythm.organicTime(offset: account.utcOffset, &random),
            text: world.vocabulary.sentence(account.language, words: random.int(in: 6...24), &random))
        if random.chance(0.15) { post.text += " " + world.hashtags[world.hashtagPopularity.draw(&random)] }
        if random.chance(0.2) { post.links.append(world.newsLinks[world.newsPopularity.draw(&random)]) }
        // State media is popular with ordinary users too, above all in UTC+8: a link operations also push.
        if random.chance(account.utcOffset == 8 ? 0.15 : 0.01) { post.links.append(random.pick(world.stateMediaLinks)) }
        if random.chance(0.05) {
            let picture = ImageSynthesis.picture(seed: random.next(), side: world.parameters.imageSide)
            var perturbation = ImageSynthesis.Perturbation()
            perturbation.jpegQuality = random.int(in: 80...95)
            let name = store(try ImageSynthesis.file(picture, perturbation))
            personalPhotos.append(name)
            post.media.append(name)
        }
        posts.append(post)
    }

    mutating func addMemeShares() throws {
        let organic = accounts.indices
        for (memeIndex, meme) in world.memes.enumerated() where meme.shareRate[platform.index] > 0 {
            let delay = Int64(random.double(in: 0...6) * 3_600)
            let sharers = random.sample(
                Int(Double(organic.count) * meme.shareRate[platform.index]), from: organic.count)
            let variants = try (0..<3).map { try memeCopy(memeIndex, variant: $0) }
            for sharer in sharers {
                let cascade = Int64(random.logNormal(median: 4 * 3_600, sigma: 1.2))
                guard let time = world.rhythm.within(meme.start + delay + cascade) else { continue }
                accounts[sharer].sharedMeme = true
                posts.append(
                    SimPost(
                        account: sharer, time: time,
                        text: random.chance(0.7)
                            ? meme.caption : meme.caption + " " + random.pick(["lol", "😂😂", "so true"]),
                        media: [random.pick(variants)]))
            }
        }
    }

    /// The file name of one of this platform's three copies of a meme, made (and its digests noted) once.
    mutating func memeCopy(_ meme: Int, variant: Int) throws -> String {
        if let name = memeCopies[meme * 3 + variant] { return name }
        var stream = SeededRandom.stream(seed: world.memes[meme].seed, "meme-copy", platform.index * 8 + variant)
        let file = try ImageSynthesis.file(
            picture(world.memes[meme].seed), ImageSynthesis.Perturbation.random(&stream, allowFlip: false))
        memeDigests.append(Hex.encode(SHA256.hash(data: file.bytes)))
        memeDigests.append(Hex.encode(Insecure.MD5.hash(data: file.bytes)))
        let name = store(file)
        memeCopies[meme * 3 + variant] = name
        return name
    }

    // MARK: syndicators and crowds

    mutating func addSyndicators() {
        for (index, syndicator) in world.syndicators.enumerated() where syndicator.platforms.contains(platform.index) {
            accounts.append(
                SimAccount(
                    handle: unique(syndicator.handle), displayName: syndicator.displayName,
                    created: world.rhythm.start - 2_000 * 86_400, role: .syndicator(index), utcOffset: 0, language: "en"
                ))
            let account = accounts.count - 1
            for article in syndicator.articles {
                guard let time = world.rhythm.within(article.time + Int64(random.int(in: 0...50))) else { continue }
                posts.append(
                    SimPost(
                        account: account, time: time,
                        text: article.headline, links: [article.url]))
            }
        }
    }

    mutating func addHashtagBursts() {
        let organic = accounts.indices.filter { accounts[$0].role == .organic }
        for burst in world.bursts where burst.rate[platform.index] > 0 {
            for pick in random.sample(Int(Double(organic.count) * burst.rate[platform.index]), from: organic.count) {
                let account = organic[pick]
                guard let time = world.rhythm.within(burst.start + Int64(random.int(in: 0...(burst.hours * 3_600))))
                else { continue }
                accounts[account].joinedBurst = true
                posts.append(
                    SimPost(
                        account: account, time: time,
                        text: world.vocabulary.sentence(
                            accounts[account].language, words: random.int(in: 3...10), &random)
                            + " " + burst.tag))
            }
        }
    }

    // MARK: helpers

    mutating func unique(_ handle: String) -> String {
        var candidate = handle
        while !handles.insert(candidate.lowercased()).inserted {
            candidate = handle + String(random.int(in: 10...99_999))
        }
        return candidate
    }

    mutating func picture(_ seed: UInt64) -> RGBImage {
        if let cached = pictures[seed] { return cached }
        let image = ImageSynthesis.picture(seed: seed, side: world.parameters.imageSide)
        pictures[seed] = image
        return image
    }

    /// Keeps a file under an opaque name derived from its bytes, as a platform's media store would.
    mutating func store(_ file: (bytes: [UInt8], isJPEG: Bool)) -> String {
        let name = String(Hex.encode(SHA256.hash(data: file.bytes)).prefix(20)) + (file.isJPEG ? ".jpg" : ".png")
        media[name] = file.bytes
        return name
    }
}

extension String {
    /// The string with its first letter upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
