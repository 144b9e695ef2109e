import WeftCore
import WeftHashing

extension PlatformGenerator {
    /// Flags, assigns the platform's opaque ids (accounts shuffled, posts in time order) and assembles the export
    /// and the truth.
    mutating func finish(operationMembers: [(operation: Int, members: [Int])]) throws -> GeneratedPlatform {
        let cases = flag(operationMembers: operationMembers)
        let order = random.sample(accounts.count, from: accounts.count)
        var ids = [String](repeating: "", count: accounts.count)
        for (position, account) in order.enumerated() {
            ids[account] = String(100_000 + position * 3 + random.int(in: 0...2))
        }

        let accountRecords = order.map { index -> AccountRecord in
            let account = accounts[index]
            return AccountRecord(
                id: ids[index], handle: account.handle, displayName: account.displayName,
                email: "\(account.handle.lowercased())@\(["mail", "inbox", "post"][index % 3]).example",
                created: account.created)
        }
        let sorted = posts.indices.sorted {
            (posts[$0].time, ids[posts[$0].account], $0) < (posts[$1].time, ids[posts[$1].account], $1)
        }
        let postRecords = sorted.enumerated().map { number, index in
            let post = posts[index]
            return PostRecord(
                id: String(5_000_000 + number), account: ids[post.account], time: post.time, text: post.text,
                links: post.links, media: post.media)
        }

        var flags: [FlagRecord] = []
        var truthCases: [String: [String]] = [:]
        var roles: [String: String] = [:]
        var nearby: [String] = []
        var assigned: Set<Int> = []
        for item in cases {
            let caseID = "case-\(String(1_000 + item.id).dropFirst())"
            let members = item.members.filter { assigned.insert($0).inserted }
            guard !members.isEmpty else { continue }
            for member in members {
                flags.append(FlagRecord(account: ids[member], caseID: caseID, status: item.status, labels: item.labels))
                roles[ids[member]] = role(of: member)
                if accounts[member].role == .organic && accounts[member].utcOffset == 8 { nearby.append(ids[member]) }
            }
            truthCases[caseID] = members.map { ids[$0] }.sorted()
        }
        flags.sort { ($0.caseID, $0.account) < ($1.caseID, $1.account) }

        var operationAccounts: [String: [String]] = [:]
        for (operation, members) in operationMembers {
            operationAccounts[world.operations[operation].id] = members.map { ids[$0] }.sorted()
        }
        let truth = PlatformTruth(
            name: platform.name, domain: platform.domain, accounts: accounts.count,
            organicUTC8: accounts.filter { $0.role == .organic && $0.utcOffset == 8 }.count,
            flagsNothing: platform.flagsNothing, operationAccounts: operationAccounts, cases: truthCases,
            roles: roles, flaggedUTC8Organic: nearby.sorted(), personalPhotos: Array(Set(personalPhotos)).sorted())
        return GeneratedPlatform(
            accounts: accountRecords.sorted { $0.id < $1.id }, posts: postRecords, flags: flags,
            media: media.keys.sorted().map { ($0, media[$0]!) }, truth: truth,
            memeDigests: Array(Set(memeDigests)).sorted())
    }

    private func role(of account: Int) -> String {
        let item = accounts[account]
        switch item.role {
        case .operation(let index): return "operation:\(world.operations[index].id)"
        case .syndicator: return "syndicator"
        case .organic:
            if item.sharedMeme { return "meme-sharer" }
            if item.joinedBurst { return "hashtag-crowd" }
            return "organic"
        }
    }
}
