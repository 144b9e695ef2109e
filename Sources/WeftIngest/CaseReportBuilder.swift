import WeftCore
import WeftHashing

/// Builds one flagged case's record and reports: every item its accounts posted, their keyed account values and,
/// for cases of at least k accounts, their schedule fingerprint.
struct CaseReportBuilder {
    /// One indicator's observations within the case.
    private struct Observation {
        var first: Int64
        var last: Int64
        /// Accounts on the whole platform that posted the item (or a near copy).
        var posters: Set<String>
    }

    let caseName: String
    let flag: PlatformExport.Flag
    let members: [String]
    let index: ItemIndex
    let flagged: Set<String>
    let postsByAccount: [String: [Int]]
    let posts: [PlatformExport.Post]
    let key: FederationKey
    private var observations: [Indicator: Observation] = [:]
    /// Pictures only one account on the platform ever posted: possibly personal, never published.
    private(set) var withheldPictures: Set<String> = []
    private var labels: [Label] = []

    init(
        caseName: String, flag: PlatformExport.Flag, members: [String], index: ItemIndex, flagged: Set<String>,
        postsByAccount: [String: [Int]], posts: [PlatformExport.Post], key: FederationKey
    ) {
        self.key = key
        self.caseName = caseName
        self.flag = flag
        self.members = members
        self.index = index
        self.flagged = flagged
        self.postsByAccount = postsByAccount
        self.posts = posts
    }

    /// The case record: status, labels and a bucketed size.
    mutating func caseRecord() throws(IngestError) -> Case {
        do {
            labels = try flag.labels.map { (text) throws(RecordError) in try Label(text) }
            guard let status = Case.Status(rawValue: flag.status) else {
                throw RecordError(record: "", field: "status", reason: "'\(flag.status)' is not suspected or confirmed")
            }
            return Case(
                id: try CaseID(caseName), status: status, labels: labels,
                accounts: PrevalenceBucket(count: members.count))
        } catch {
            throw IngestError("flagged.jsonl case '\(caseName)': \(error)")
        }
    }

    /// Texts, links, hashtags and shared pictures of the case's posts.
    mutating func addContent() {
        let index = self.index
        for account in members {
            for number in postsByAccount[account] ?? [] {
                let post = posts[number]
                let item = index.items[number]
                if let text = item.text {
                    let posters = index.textPosters(text)
                    observe(.textSHA256, text.sha256, post.time) { posters }
                    observe(.textMinHash, text.minHash.hex, post.time) { posters }
                }
                for url in item.urls {
                    observe(.url, url.url, post.time) { index.urlPosters(url.url) }
                    if let domain = url.domain { observe(.domain, domain, post.time) { index.domainPosters(domain) } }
                }
                for handle in item.profileHandles {
                    // A profile link names an account on another platform: it leaves only as a keyed handle.
                    observe(.handle, handleValue(handle), post.time) { [account] }
                }
                for tag in item.hashtags { observe(.hashtag, tag, post.time) { index.hashtagPosters(tag) } }
                for name in item.media {
                    guard let hashes = index.media[name] else { continue }
                    let near = index.picturePosters(name, near: true)
                    guard near.count >= 2 else {
                        withheldPictures.insert(name)
                        continue
                    }
                    let exact = index.picturePosters(name, near: false)
                    observe(.sha256, hashes.sha256, post.time) { exact }
                    observe(.md5, hashes.md5, post.time) { exact }
                    if hashes.pdqProblem == nil { observe(.pdq, hashes.pdq.hash.hex, post.time) { near } }
                }
            }
        }
    }

    /// Keyed `account` and `handle` values and the handle's shape, for each member that posted.
    mutating func addAccounts(references: [String: AccountReference], shapes: [String: Set<String>]) {
        for account in members {
            guard let reference = references[account], let times = postsByAccount[account]?.map({ posts[$0].time }),
                let first = times.min(), let last = times.max()
            else { continue }
            observe(.account, reference.accountValue(key: key), first) { [account] }
            observe(.account, reference.accountValue(key: key), last) { [account] }
            observe(.handle, reference.handleValue(key: key), first) { [account] }
            observe(.handle, reference.handleValue(key: key), last) { [account] }
            observe(.handleShape, reference.shape, first) { shapes[reference.shape] ?? [account] }
            observe(.handleShape, reference.shape, last) { shapes[reference.shape] ?? [account] }
        }
    }

    /// The case's hour-of-week fingerprint, if at least k of its accounts posted; returns whether one was made.
    mutating func addSchedule() -> Bool {
        let times = members.map { (postsByAccount[$0] ?? []).map { posts[$0].time } }
        guard let fingerprint = try? ScheduleFingerprint(postTimesByAccount: times) else { return false }
        let all = times.flatMap { $0 }
        let active = Set(members.filter { !(postsByAccount[$0] ?? []).isEmpty })
        observe(.schedule, fingerprint.hex, all.min()!) { active }
        observe(.schedule, fingerprint.hex, all.max()!) { active }
        return true
    }

    /// The reports, sorted by indicator.
    func reports() throws(IngestError) -> [Report] {
        let confidence = flag.status == "confirmed" ? 80 : 50
        do {
            return try observations.keys.sorted().map { (indicator) throws(RecordError) -> Report in
                let observation = observations[indicator]!
                let posters = observation.posters
                return try Report(
                    caseID: try CaseID(caseName), indicator: indicator,
                    firstSeen: try Day(UTCTime.day(observation.first)),
                    lastSeen: try Day(UTCTime.day(observation.last)),
                    confidence: confidence, labels: labels, postingAccounts: PrevalenceBucket(count: posters.count),
                    flaggedAccounts: PrevalenceBucket(count: posters.filter { flagged.contains($0) }.count))
            }
        } catch {
            throw IngestError("case '\(caseName)': \(error)")
        }
    }

    private func handleValue(_ handle: String) -> String {
        PostSignals.profileHandleValue(handle, key: key)
    }

    private mutating func observe(
        _ kind: IndicatorKind, _ value: String, _ time: Int64, posters: () -> Set<String>
    ) {
        guard !value.isEmpty, let indicator = try? Indicator(kind: kind, value: value) else { return }
        if var existing = observations[indicator] {
            existing.first = min(existing.first, time)
            existing.last = max(existing.last, time)
            observations[indicator] = existing
        } else {
            observations[indicator] = Observation(first: time, last: time, posters: posters())
        }
    }
}
