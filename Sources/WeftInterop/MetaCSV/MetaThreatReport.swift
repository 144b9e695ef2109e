import Foundation
import WeftCore
import WeftHashing

/// A CSV that is not a Meta threat-research indicator file.
public struct MetaCSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// One of Meta's published threat-research indicator files (columns Tactic, Technique, Procedure, Indicator, and
/// a Note or Comments column) read as a case with reports, so a public takedown merges with the federation's data.
///
/// Rules (docs/interop.md):
/// - the whole file is one confirmed case; procedure codes (`6.1.3 Posting original content…`) become
///   `killchain:` labels, on the case and on each row's report;
/// - counts such as `7,704 Facebook accounts` add up to the case size (rows counting Pages or Groups do not);
/// - URLs and bare domains, defanged or not, become `url` indicators and, unless the domain is a platform's
///   (wordpress.com, blogspot.com, …), `domain` indicators; annotations after them (`(Hosted a spoof …)`,
///   `[comment]`) are dropped and spaces inside them (line-wrap artefacts of the published PDF) removed;
/// - URLs on social platforms (twitter.com, tiktok.com, medium.com, …) name accounts, which never leave a node
///   raw: with the federation key they become `account`, `handle` and `handle.shape` values, without it they are
///   skipped;
/// - headlines of posted content (6.1.3) become `text.sha256`, and with the key `text.minhash`;
/// - descriptive prose is not an indicator and is listed as skipped, with its line.
public struct MetaThreatReport: Sendable {
    /// A row that produced no indicator, and why.
    public struct Skipped: Sendable, Hashable, Encodable {
        public var line: Int
        public var reason: String
    }

    /// The case.
    public var caseRecord: Case
    /// The reports, one per distinct indicator.
    public var reports: [Report]
    /// Rows that gave no indicator.
    public var skipped: [Skipped]
    /// Accounts counted in the file.
    public var accounts: Int

    /// Registrable domains of platforms: their URLs are evidence, their domains are not.
    public static let platformDomains: Set<String> = [
        "twitter.com", "x.com", "facebook.com", "fb.com", "instagram.com", "tiktok.com", "youtube.com", "youtu.be",
        "t.me", "telegram.me", "reddit.com", "medium.com", "pinterest.com", "vk.com", "threads.net", "linkedin.com",
        "quora.com", "wordpress.com", "blogspot.com", "freelancer.com", "google.com", "t.co", "tumblr.com",
    ]

    /// Reads a file's text.
    public init(
        csv text: String, caseID: CaseID, firstSeen: Day, lastSeen: Day, canonicalizer: URLCanonicalizer,
        federationKey: FederationKey?
    ) throws(MetaCSVError) {
        var reader = CSVReader(text)
        let (procedureColumn, indicatorColumn) = try Self.columns(reader.next()?.fields ?? [])
        let hasher = federationKey.map { MinHasher(key: $0) }
        var reports: [Report] = []
        var seen: Set<Indicator> = []
        var labels: Set<Label> = [try! Label("tag:public-report")]
        var skipped: [Skipped] = []
        var accounts = 0

        func add(_ kind: IndicatorKind, _ value: String, label: Label?) -> Bool {
            guard let indicator = try? Indicator(kind: kind, value: value), seen.insert(indicator).inserted else {
                return false
            }
            reports.append(
                try! Report(
                    caseID: caseID, indicator: indicator, firstSeen: firstSeen, lastSeen: lastSeen, confidence: 90,
                    labels: label.map { [$0] } ?? [], postingAccounts: PrevalenceBucket(count: 0),
                    flaggedAccounts: PrevalenceBucket(count: 0)))
            return true
        }

        while let (line, fields) = reader.next() {
            let procedure =
                procedureColumn < fields.count ? fields[procedureColumn].trimmingCharacters(in: .whitespaces) : ""
            let indicator =
                indicatorColumn < fields.count
                ? fields[indicatorColumn].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            if indicator.isEmpty { continue }
            let code = String(procedure.prefix { $0.isNumber || $0 == "." }).trimmingCharacters(
                in: CharacterSet(charactersIn: "."))
            let label = code.isEmpty ? nil : try? Label("killchain:\(code)")
            if let label { labels.insert(label) }
            if let count = Self.accountCount(indicator) {
                accounts += count
                continue
            }
            if Self.looksLikeLink(indicator) {
                let link = Self.cleanLink(indicator)
                guard let canonical = try? canonicalizer.canonicalize(link) else {
                    skipped.append(Skipped(line: line, reason: "'\(link)' is not a URL Weft accepts"))
                    continue
                }
                var added = false
                if code.hasPrefix("0.9") || Self.platform(of: canonical.host) != nil {
                    // The URL names an account (an acquired asset, or a page on a social or hosting platform): it
                    // leaves only as keyed values, never raw.
                    let where_ = Self.platform(of: canonical.host) ?? canonical.domain ?? canonical.host
                    guard let federationKey, let account = Self.account(canonical) else {
                        skipped.append(
                            Skipped(
                                line: line,
                                reason: federationKey == nil
                                    ? "names an account on \(where_); give the federation key to import it as keyed values"
                                    : "names no account Weft can read on \(where_)"))
                        continue
                    }
                    added = add(.account, account.accountValue(key: federationKey), label: label)
                    added = add(.handle, account.handleValue(key: federationKey), label: label) || added
                    added = add(.handleShape, account.shape, label: label) || added
                } else {
                    added = add(.url, canonical.url, label: label)
                    if let domain = canonical.domain, !Self.platformDomains.contains(domain) {
                        added = add(.domain, domain, label: label) || added
                    }
                }
                if !added { skipped.append(Skipped(line: line, reason: "repeats an indicator of an earlier row")) }
            } else if code.hasPrefix("6.1.3") {
                let fingerprint = TextNormalizer.normalize(indicator)
                var added = add(.textSHA256, Hex.sha256(Array(fingerprint.utf8)), label: label)
                if let hasher {
                    added = add(.textMinHash, hasher.signature(of: fingerprint).hex, label: label) || added
                }
                if !added { skipped.append(Skipped(line: line, reason: "repeats a headline of an earlier row")) }
            } else {
                skipped.append(Skipped(line: line, reason: "a description, not an indicator"))
            }
        }
        caseRecord = Case(
            id: caseID, status: .confirmed, labels: labels.sorted(), accounts: PrevalenceBucket(count: accounts))
        self.reports = reports
        self.skipped = skipped
        self.accounts = accounts
    }

    /// The social or hosting platform a host belongs to (its registrable domain in our lists), if any.
    static func platform(of host: String) -> String? {
        let known = AccountReference.platformsByDomain.keys.map { $0 } + Array(platformDomains)
        return known.first { host == $0 || host.hasSuffix("." + $0) }
    }

    /// The account a URL names: through the platform's own profile URL rules when Weft knows them, else the
    /// subdomain under a hosting platform (`name.blogspot.com`) or the first path segment after `u/`, `user/` or `@`.
    static func account(_ url: CanonicalURL) -> AccountReference? {
        if let known = try? AccountReference(platform: nil, text: url.url) { return known }
        let platform = platform(of: url.host) ?? url.domain ?? url.host
        let subdomain = url.host.hasSuffix("." + platform) ? String(url.host.dropLast(platform.count + 1)) : ""
        let label = subdomain.split(separator: ".").last.map(String.init) ?? ""
        if !label.isEmpty && label != "www" { return try? AccountReference(platform: platform, text: label) }
        let path = url.url.split(separator: "/", omittingEmptySubsequences: true).dropFirst(2).map(String.init)
        let segments = path.drop { ["u", "user", "users", "profile"].contains($0.lowercased()) }
        guard let first = segments.first?.split(separator: "?").first.map(String.init), !first.isEmpty else {
            return nil
        }
        return try? AccountReference(platform: platform, text: first)
    }

    /// Checks that `text` starts with the header of an indicator file, without reading the rest.
    public static func checkHeader(csv text: String) throws(MetaCSVError) {
        var reader = CSVReader(text)
        _ = try columns(reader.next()?.fields ?? [])
    }

    /// The positions of the Procedure and Indicator columns.
    static func columns(_ header: [String]) throws(MetaCSVError) -> (procedure: Int, indicator: Int) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let procedure = names.firstIndex(of: "Procedure") else {
            throw MetaCSVError("no header with a Procedure column: not a Meta threat-research CSV")
        }
        guard let indicator = names.firstIndex(of: "Indicator") else {
            throw MetaCSVError(
                "no Indicator column: this is a list of tactics (such as the kill-chain TTP file), not a takedown report"
            )
        }
        return (procedure, indicator)
    }

    /// `7,704 Facebook accounts` → 7704; rows counting Pages, Groups or channels are not accounts.
    static func accountCount(_ text: String) -> Int? {
        let parts = text.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].allSatisfy({ $0.isNumber || $0 == "," }), parts[0].first?.isNumber == true
        else { return nil }
        let rest = parts[1].lowercased()
        guard
            rest.hasSuffix("accounts") || rest.hasSuffix("account") || rest.hasSuffix("pages")
                || rest.hasSuffix("groups")
                || rest.hasSuffix("channels") || rest.hasSuffix("events")
        else { return nil }
        return rest.contains("account") ? Int(parts[0].filter(\.isNumber)) : 0
    }

    static func looksLikeLink(_ text: String) -> Bool {
        let first = String(text.split(separator: " ").first ?? "").lowercased()
        if first.hasPrefix("http") || first.hasPrefix("hxxp") || first.contains("[.]") { return true }
        return first.range(of: #"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/?$"#, options: .regularExpression) != nil
    }

    /// Drops a trailing annotation in parentheses or brackets and removes spaces left by line wrapping.
    static func cleanLink(_ text: String) -> String {
        var link = text
        if let annotation = link.range(of: #"\s+[\(\[].*$"#, options: .regularExpression) {
            link.removeSubrange(annotation)
        }
        return link.filter { !$0.isWhitespace }
    }

    /// The quarter a file name like `Q2_2023_…` names, as first and last day.
    public static func quarter(fromFileName name: String) -> (Day, Day)? {
        guard let match = name.range(of: #"Q[1-4]_20\d\d"#, options: .regularExpression) else { return nil }
        let quarter = Int(String(name[match].dropFirst().prefix(1)))!
        let year = String(name[match].suffix(4))
        let months = [("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"), ("10-01", "12-31")][quarter - 1]
        guard let first = try? Day("\(year)-\(months.0)"), let last = try? Day("\(year)-\(months.1)") else {
            return nil
        }
        return (first, last)
    }
}
