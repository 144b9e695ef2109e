import WeftCore
import WeftHashing

/// What ingest made of a platform export: the cases and reports to publish, and counts for the operator.
public struct IngestResult: Sendable {
    public var cases: [Case]
    public var reports: [Report]
    public var summary: IngestSummary
}

/// Counts of one ingest run.
public struct IngestSummary: Sendable, Encodable, Hashable {
    public var platform: String
    public var accounts: Int
    public var posts: Int
    public var mediaFiles: Int
    public var undecodableMedia: Int
    public var flaggedAccounts: Int
    public var cases: Int
    public var reports: Int
    /// Cases with at least k accounts that got a schedule fingerprint.
    public var schedules: Int
    /// Pictures posted by flagged accounts but by no one else: possibly personal photos, never published.
    public var withheldPictures: Int
}

/// The platform-side pipeline: hashes a platform's export with WeftHashing and turns each flagged case into a case
/// record and reports, with prevalence over all of the platform's data. Raw text, raw handles and pictures only one
/// account ever posted never appear in the result (docs/scenario.md, "Ingest").
public struct PlatformIngest: Sendable {
    public let federationKey: FederationKey
    public let canonicalizer: URLCanonicalizer

    /// Creates the pipeline.
    public init(federationKey: FederationKey, canonicalizer: URLCanonicalizer) {
        self.federationKey = federationKey
        self.canonicalizer = canonicalizer
    }

    /// Hashes `export` and builds its cases and reports.
    public func run(_ export: PlatformExport) throws(IngestError) -> IngestResult {
        let hasher = MinHasher(key: federationKey)
        let index = try ItemIndex(export: export, hasher: hasher, canonicalizer: canonicalizer)
        let handles = Dictionary(export.accounts.map { ($0.id, $0.handle) }, uniquingKeysWith: { first, _ in first })
        var postsByAccount: [String: [Int]] = [:]
        for (number, post) in export.posts.enumerated() { postsByAccount[post.account, default: []].append(number) }
        let flagged = Set(export.flags.map(\.account))
        var shapes: [String: Set<String>] = [:]
        var references: [String: AccountReference] = [:]
        for account in export.accounts {
            guard let reference = try? AccountReference(platform: export.name, text: account.handle) else { continue }
            references[account.id] = reference
            shapes[reference.shape, default: []].insert(account.id)
        }

        var caseOrder: [String] = []
        var membersByCase: [String: [String]] = [:]
        var flagsByCase: [String: PlatformExport.Flag] = [:]
        for flag in export.flags {
            guard handles[flag.account] != nil else {
                throw IngestError("flagged.jsonl names account '\(flag.account)', which accounts.jsonl does not list")
            }
            if membersByCase[flag.caseID] == nil { caseOrder.append(flag.caseID) }
            membersByCase[flag.caseID, default: []].append(flag.account)
            flagsByCase[flag.caseID] = flag
        }

        var cases: [Case] = []
        var reports: [Report] = []
        var schedules = 0
        var withheld: Set<String> = []
        for caseName in caseOrder {
            let flag = flagsByCase[caseName]!
            let members = membersByCase[caseName]!
            var builder = CaseReportBuilder(
                caseName: caseName, flag: flag, members: members, index: index, flagged: flagged,
                postsByAccount: postsByAccount, posts: export.posts, key: federationKey)
            let record = try builder.caseRecord()
            builder.addContent()
            builder.addAccounts(references: references, shapes: shapes)
            if builder.addSchedule() { schedules += 1 }
            withheld.formUnion(builder.withheldPictures)
            cases.append(record)
            reports += try builder.reports()
        }
        return IngestResult(
            cases: cases, reports: reports,
            summary: IngestSummary(
                platform: export.name, accounts: export.accounts.count, posts: export.posts.count,
                mediaFiles: index.media.count + index.undecodableMedia, undecodableMedia: index.undecodableMedia,
                flaggedAccounts: flagged.count, cases: cases.count, reports: reports.count, schedules: schedules,
                withheldPictures: withheld.count))
    }
}
