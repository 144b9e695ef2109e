import WeftCore
import WeftHashing

extension PlatformGenerator {
    /// Adds every operation present on this platform; returns each one's account indices.
    mutating func addOperations() throws -> [(operation: Int, members: [Int])] {
        var members: [(Int, [Int])] = []
        for operation in world.operations {
            guard let slot = operation.platforms.firstIndex(of: platform.index) else { continue }
            var indices: [Int] = []
            for _ in 0..<operation.accounts[slot] {
                let reusePersona = random.chance(0.3)
                let handle =
                    reusePersona
                    ? random.pick(operation.personas) : WorldPlan.operationHandle(style: operation.handleStyle, &random)
                let burst = random.pick(operation.creationDays)
                let created = world.rhythm.start - Int64(burst) * 86_400 + Int64(random.int(in: 1 * 3_600...9 * 3_600))
                accounts.append(
                    SimAccount(
                        handle: unique(handle), displayName: handle.filter(\.isLetter).capitalizedFirst,
                        created: created, role: .operation(operation.index), utcOffset: 8,
                        language: random.chance(0.7) ? "en" : "zh"))
                indices.append(accounts.count - 1)
            }
            for account in indices { try addOperationPosts(operation, by: account) }
            members.append((operation.index, indices))
        }
        return members
    }

    private mutating func addOperationPosts(_ operation: OperationPlan, by account: Int) throws {
        let count = max(1, Int(random.logNormal(median: operation.postsPerAccount, sigma: 0.5)))
        let smallPlatforms = operation.platforms.filter {
            world.platforms[$0].organicAccounts < world.parameters.medianAccounts && $0 != platform.index
        }
        for _ in 0..<count {
            guard let time = world.rhythm.officeTime(&random) else { return }
            var post = SimPost(account: account, time: time, text: "")
            let roll = random.unit()
            if roll < 0.5 {
                let number = random.int(in: 0...(operation.headlines.count - 1))
                post.text = headlineCopy(operation.headlines[number])
                if random.chance(0.5) {
                    let domain = operation.domains[number % operation.domains.count]
                    post.links.append("https://\(domain)/\(2026)/a\(operation.index + 1)-\(number)")
                }
                if random.chance(0.1) { post.links.append(random.pick(world.stateMediaLinks)) }
                if random.chance(0.3) { post.text += " " + random.pick(operation.hashtags) }
            } else if roll < 0.7 {
                let image = random.int(in: 0...(operation.imageSeeds.count - 1))
                post.media.append(try operationCopy(operation, image: image, variant: random.int(in: 0...1)))
                post.text = random.chance(0.6) ? headlineCopy(random.pick(operation.headlines)) : ""
            } else if roll < 0.95 || smallPlatforms.isEmpty {
                // Camouflage: harmless filler in the persona's language.
                post.text = world.vocabulary.sentence(
                    accounts[account].language, words: random.int(in: 5...12), &random)
            } else {
                let target = world.platforms[random.pick(smallPlatforms)]
                post.text = world.vocabulary.sentence("en", words: random.int(in: 3...6), &random)
                post.links.append("https://\(target.domain)/@\(random.pick(operation.personas))")
            }
            posts.append(post)
        }
        let memes = world.memes.indices.filter { world.memes[$0].shareRate[platform.index] > 0 }
        if !memes.isEmpty && random.chance(0.15) {
            // Operations share viral memes too, which is exactly why memes must not link their accounts.
            let meme = random.pick(memes)
            let copy = try memeCopy(meme, variant: random.int(in: 0...2))
            if let time = world.rhythm.officeTime(&random) {
                posts.append(SimPost(account: account, time: time, text: world.memes[meme].caption, media: [copy]))
            }
        }
    }

    private mutating func headlineCopy(_ headline: Headline) -> String {
        var text = headline.text
        var language = headline.language
        if let translation = headline.translation, random.chance(0.4) {
            text = translation.text
            language = translation.language
        }
        return random.chance(0.7) ? EditedCopyCorpus.edit(text, language: language, &random) : text
    }

    private mutating func operationCopy(_ operation: OperationPlan, image: Int, variant: Int) throws -> String {
        let seed = operation.imageSeeds[image]
        var stream = SeededRandom.stream(seed: seed, "operation-copy", platform.index * 8 + variant)
        return store(try ImageSynthesis.file(picture(seed), .random(&stream, allowFlip: true)))
    }

    // MARK: flagging and output

    /// The platform's trust-and-safety view: part of each operation (recall 0.3–0.9), plus false positives
    /// among meme sharers, hashtag crowds, syndicators and ordinary users in UTC+8.
    mutating func flag(
        operationMembers: [(operation: Int, members: [Int])]
    ) -> [(id: Int, members: [Int], status: String, labels: [String])] {
        guard !platform.flagsNothing else { return [] }
        var cases: [(members: [Int], status: String, labels: [String])] = []
        let organic = accounts.indices.filter { accounts[$0].role == .organic }
        for (operation, members) in operationMembers {
            let plan = world.operations[operation]
            let recall = plan.recall[plan.platforms.firstIndex(of: platform.index)!]
            var flagged = members.filter { _ in random.chance(recall) }
            guard !flagged.isEmpty else { continue }
            if random.chance(0.15), !organic.isEmpty { flagged.append(random.pick(organic)) }
            let labels = Array(
                random.sample(random.int(in: 1...plan.labels.count), from: plan.labels.count).map { plan.labels[$0] }
                    .sorted())
            let status = random.chance(0.7) ? "confirmed" : "suspected"
            if flagged.count > 40 {
                let half = flagged.count / 2
                cases.append((Array(flagged.prefix(half)), status, labels))
                cases.append((Array(flagged.dropFirst(half)), status, labels))
            } else {
                cases.append((flagged, status, labels))
            }
        }
        let sharers = organic.filter { accounts[$0].sharedMeme }
        if sharers.count >= 3 && random.chance(0.5) {
            let picks = random.sample(random.int(in: 3...min(15, sharers.count)), from: sharers.count)
            cases.append((picks.map { sharers[$0] }, "suspected", ["tag:spam"]))
        }
        let nearby = organic.filter { accounts[$0].utcOffset == 8 }
        if nearby.count >= 2 && random.chance(0.4) {
            let picks = random.sample(random.int(in: 2...min(8, nearby.count)), from: nearby.count)
            cases.append((picks.map { nearby[$0] }, "suspected", ["tag:suspected-cib"]))
        }
        let crowd = organic.filter { accounts[$0].joinedBurst }
        if crowd.count >= 3 && random.chance(0.3) {
            let picks = random.sample(random.int(in: 3...min(10, crowd.count)), from: crowd.count)
            cases.append((picks.map { crowd[$0] }, "suspected", ["tag:coordinated-hashtag"]))
        }
        for index in accounts.indices {
            if case .syndicator = accounts[index].role, random.chance(0.15) {
                cases.append(([index], "suspected", ["tag:automation"]))
            }
        }
        // Case numbers are shuffled so they say nothing about what a case is.
        let order = random.sample(cases.count, from: cases.count)
        return order.enumerated().map { number, position in
            (number + 1, Array(Set(cases[position].members)).sorted(), cases[position].status, cases[position].labels)
        }
    }
}
