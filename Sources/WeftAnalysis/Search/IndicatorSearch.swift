import WeftCore
import WeftHashing
import WeftStore

/// Near-duplicate look-ups over a node's merged view: which reported pictures are within a PDQ distance of a hash,
/// and which reported texts are near copies of a text. Exhaustive over the view, so results are exact.
public struct IndicatorSearch: Sendable {
    /// One reported value that matched, with every case that reported it.
    public struct Match: Sendable, Encodable, Hashable {
        public var kind: String
        public var value: String
        /// Hamming distance (PDQ) or estimated Jaccard similarity (text).
        public var distance: Int?
        public var similarity: Double?
        /// For a search with an image's dihedral hashes: the rotation or reflection of the image that matched.
        public var transform: String?
        public var cases: [CaseHit]
    }

    /// A case that reported a matching value.
    public struct CaseHit: Sendable, Encodable, Hashable {
        public var originName: String
        public var caseID: String
        public var firstSeen: String
        public var lastSeen: String
        /// Prevalence buckets on the reporter's platform, as ranges.
        public var postingAccounts: String
        public var flaggedAccounts: String
    }

    public let view: MergedView
    /// Look-ups that answer without reading every report, when built.
    let index: ViewIndex?

    /// Creates a search that scans `view` for each question: nothing to build, each answer costs a pass over
    /// every report (for one-off questions).
    public init(view: MergedView) {
        self.view = view
        index = nil
    }

    /// Creates a search that indexes `view` first (about a second per million reports), for many questions about
    /// one view: the analyst API keeps one per view. Answers equal those of ``init(view:)``.
    public init(indexing view: MergedView) {
        self.view = view
        index = ViewIndex(view)
    }

    /// Reported PDQ hashes within `maximumDistance` of `hash`, nearest first.
    public func pdq(_ hash: PDQHash, maximumDistance: Int) -> [Match] {
        if let index {
            let matches = index.pdq.search(hash, maximumDistance: maximumDistance).map { found -> Match in
                let reports = index.reportsOfPDQ[found.id].map { view.reports[Int($0)] }
                return Match(
                    kind: "pdq", value: index.pdqValues[found.id], distance: found.distance, similarity: nil,
                    transform: nil, cases: hits(reports))
            }
            return matches.sorted(by: Self.byDistance)
        }
        var byValue: [String: (distance: Int, reports: [MergedView.ReportEntry])] = [:]
        for report in view.reports where report.kind == .pdq {
            if let existing = byValue[report.value] {
                byValue[report.value] = (existing.distance, existing.reports + [report])
                continue
            }
            guard let other = PDQHash(hex: report.value) else { continue }
            let distance = other.distance(to: hash)
            if distance <= maximumDistance { byValue[report.value] = (distance, [report]) }
        }
        return byValue.map { value, entry in
            Match(
                kind: "pdq", value: value, distance: entry.distance, similarity: nil, transform: nil,
                cases: hits(entry.reports))
        }.sorted(by: Self.byDistance)
    }

    static func byDistance(_ a: Match, _ b: Match) -> Bool {
        (a.distance ?? 0, a.value) < (b.distance ?? 0, b.value)
    }

    /// Reported PDQ hashes within `maximumDistance` of any of an image's eight dihedral hashes (``PDQDihedral``
    /// order, as `PDQHasher.dihedralHashes` gives them), so a rotated or mirrored copy is found too. Each value is
    /// listed once, with its nearest variant.
    public func pdq(dihedral hashes: [PDQHash], maximumDistance: Int) -> [Match] {
        var best: [String: Match] = [:]
        for (variant, hash) in zip(PDQDihedral.allCases, hashes) {
            for var match in pdq(hash, maximumDistance: maximumDistance) {
                if let existing = best[match.value], (existing.distance ?? 0) <= (match.distance ?? 0) { continue }
                match.transform = variant.description
                best[match.value] = match
            }
        }
        return best.values.sorted { ($0.distance ?? 0, $0.value) < ($1.distance ?? 0, $1.value) }
    }

    /// Reported texts that are `fingerprint`'s exact normal form or a MinHash near copy of it (estimated Jaccard
    /// at least `minimumSimilarity`), most similar first.
    public func text(_ fingerprint: TextFingerprint, minimumSimilarity: Double) -> [Match] {
        let same =
            index.map { index in (index.reportsOfTextDigest[fingerprint.sha256] ?? []).map { view.reports[Int($0)] } }
            ?? view.reports.filter { $0.kind == .textSHA256 && $0.value == fingerprint.sha256 }
        let exact =
            same.isEmpty
            ? []
            : [
                Match(
                    kind: "text.sha256", value: fingerprint.sha256, distance: nil, similarity: 1, transform: nil,
                    cases: hits(same))
            ]
        return (exact + minHash(fingerprint.minHash, minimumSimilarity: minimumSimilarity)).sorted(
            by: Self.bySimilarity)
    }

    /// Reported keyed MinHash signatures with estimated Jaccard at least `minimumSimilarity` to `signature`, most
    /// similar first.
    public func minHash(_ signature: MinHashSignature, minimumSimilarity: Double) -> [Match] {
        if let index {
            return index.minHash(signature, minimumSimilarity: minimumSimilarity).map { found in
                Match(
                    kind: "text.minhash", value: index.minHashValues[found.number], distance: nil,
                    similarity: found.similarity, transform: nil,
                    cases: hits(index.reportsOfMinHash[found.number].map { view.reports[Int($0)] }))
            }.sorted(by: Self.bySimilarity)
        }
        var byValue: [String: (similarity: Double, reports: [MergedView.ReportEntry])] = [:]
        for report in view.reports where report.kind == .textMinHash {
            if var existing = byValue[report.value] {
                existing.reports.append(report)
                byValue[report.value] = existing
                continue
            }
            guard let other = MinHashSignature(hex: report.value) else { continue }
            let similarity = other.similarity(to: signature)
            if similarity >= minimumSimilarity { byValue[report.value] = (similarity, [report]) }
        }
        return byValue.map { value, entry in
            Match(
                kind: "text.minhash", value: value, distance: nil, similarity: entry.similarity, transform: nil,
                cases: hits(entry.reports))
        }.sorted(by: Self.bySimilarity)
    }

    static func bySimilarity(_ a: Match, _ b: Match) -> Bool {
        (b.similarity ?? 0, a.kind, a.value) < (a.similarity ?? 0, b.kind, b.value)
    }

    private func hits(_ reports: [MergedView.ReportEntry]) -> [CaseHit] {
        Self.hits(reports.map { ($0, view.cases[$0.caseIndex]) }, originNames: view.originNames)
    }

    /// The case hits of `reports`, each with its case, in a total order: by platform, case and then the report's
    /// own fields, so that any two searches holding the same reports list them alike.
    static func hits(
        _ reports: [(report: MergedView.ReportEntry, case: MergedView.CaseEntry)], originNames: [String: String]
    ) -> [CaseHit] {
        reports.map { report, entry in
            CaseHit(
                originName: originNames[entry.origin] ?? entry.origin, caseID: entry.caseID,
                firstSeen: report.firstSeen, lastSeen: report.lastSeen,
                postingAccounts: Self.range(report.accountsBucket), flaggedAccounts: Self.range(report.flaggedBucket))
        }.sorted {
            ($0.originName, $0.caseID, $0.firstSeen, $0.lastSeen, $0.postingAccounts, $0.flaggedAccounts)
                < ($1.originName, $1.caseID, $1.firstSeen, $1.lastSeen, $1.postingAccounts, $1.flaggedAccounts)
        }
    }

    private static func range(_ bucket: Int) -> String {
        (try? PrevalenceBucket(index: bucket))?.description ?? "?"
    }
}
