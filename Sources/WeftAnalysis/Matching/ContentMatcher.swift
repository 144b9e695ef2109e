import WeftCore
import WeftHashing
import WeftStore

/// The matcher of a platform's own content against what the federation holds (what the "matcher" of Meta's
/// Hasher-Matcher-Actioner does): exact values (texts, links, domains, hashtags, file digests, keyed accounts and
/// handles), pictures within a PDQ distance in any of their eight dihedral variants, and texts whose keyed MinHash
/// is similar enough. Every hit says which reported value it matched, how closely, and what the federation knows
/// of it: the origins and cases that reported it, their labels and confidence, and the operations it belongs to.
public struct ContentMatcher: Sendable {
    /// One exact value to look up, and the field of the record it came from.
    public struct Probe: Sendable, Hashable {
        public var field: String
        public var kind: IndicatorKind
        public var value: String

        /// Creates a probe.
        public init(field: String, kind: IndicatorKind, value: String) {
            self.field = field
            self.kind = kind
            self.value = value
        }
    }

    /// A reported value that one of a record's signals matched.
    public struct Hit: Sendable, Encodable, Hashable {
        /// The record's field the signal came from, e.g. `text`, `links[0]`, `media[1]`, `handle`.
        public var field: String
        public var kind: String
        /// The reported value (for a near match, the reported hash, not the record's own).
        public var value: String
        /// `exact`, `pdq` or `minhash`.
        public var match: String
        public var distance: Int?
        public var similarity: Double?
        public var transform: String?
        /// How strongly it matched, 0…1: 1 for an exact value, 1 − distance/64 for a picture, the similarity for
        /// a text.
        public var closeness: Double
        /// How exclusive the value is to flagged accounts, from its reporters' prevalence buckets (median over
        /// reports of 2^(flagged bucket − posting bucket)): near 1 when only flagged accounts posted it, small for
        /// content that spreads among ordinary users.
        public var exclusivity: Double
        public var origins: [String]
        public var cases: Int
        public var confidence: Int
        public var labels: [String]
        /// Operations (ids) with a case that reported the value.
        public var operations: [String]
        public var firstSeen: String
        public var lastSeen: String
    }

    private let view: MergedView
    private let exact: [String: [Int]]
    private let pdqValues: [String]
    private let pdqIndex: PDQIndex
    private let textValues: [String]
    private let textIndex: MinHashLSH
    private let operationsByCase: [Int: [String]]
    /// Largest PDQ distance and smallest MinHash similarity that count as a match.
    public let maximumDistance: Int
    public let minimumSimilarity: Double
    /// Hits on values less exclusive than this are organic content and left out (the merge's threshold).
    public let minimumExclusivity: Double

    /// Indexes the merged view once; matching is then a few look-ups per signal.
    public init(
        view: MergedView, operations: [MergedOperation], maximumDistance: Int = 31, minimumSimilarity: Double = 0.7,
        minimumExclusivity: Double = MergePolicy().minimumExclusivity
    ) {
        self.view = view
        self.minimumExclusivity = minimumExclusivity
        self.maximumDistance = maximumDistance
        self.minimumSimilarity = minimumSimilarity
        var exact: [String: [Int]] = [:]
        var pdq: [String: Int] = [:]
        var texts: [String: Int] = [:]
        var pdqValues: [String] = []
        var pdqHashes: [PDQHash] = []
        var textValues: [String] = []
        var lsh = MinHashLSH(threshold: minimumSimilarity)
        for (number, report) in view.reports.enumerated() {
            exact[Self.key(report.kind, report.value), default: []].append(number)
            if report.kind == .pdq, pdq[report.value] == nil, let hash = PDQHash(hex: report.value) {
                pdq[report.value] = pdqValues.count
                pdqValues.append(report.value)
                pdqHashes.append(hash)
            }
            if report.kind == .textMinHash, texts[report.value] == nil,
                let signature = MinHashSignature(hex: report.value)
            {
                texts[report.value] = textValues.count
                textValues.append(report.value)
                _ = lsh.insert(signature)
            }
        }
        let lookup = CaseLookup(view)
        var operationsByCase: [Int: [String]] = [:]
        for operation in operations {
            for reference in operation.cases {
                if let index = lookup.index(of: reference) { operationsByCase[index, default: []].append(operation.id) }
            }
        }
        self.exact = exact
        self.pdqValues = pdqValues
        pdqIndex = PDQIndex(pdqHashes)
        self.textValues = textValues
        textIndex = lsh
        self.operationsByCase = operationsByCase
    }

    /// Every hit of one record's signals: exact probes, pictures (their eight dihedral hashes, in `PDQDihedral`
    /// order) and text signatures. A reported value is listed once per field, with its closest match.
    public func match(
        exact probes: [Probe], pictures: [(field: String, dihedral: [PDQHash])] = [],
        texts: [(field: String, signature: MinHashSignature)] = []
    ) -> [Hit] {
        var hits: [String: Hit] = [:]
        func keep(_ hit: Hit) {
            guard hit.exclusivity >= minimumExclusivity else { return }
            let key = "\(hit.field)\u{0}\(hit.kind)\u{0}\(hit.value)"
            if let existing = hits[key], existing.closeness >= hit.closeness { return }
            hits[key] = hit
        }
        for probe in probes {
            guard let reports = exact[Self.key(probe.kind, probe.value)] else { continue }
            keep(hit(probe.field, probe.kind, probe.value, reports, match: "exact", closeness: 1))
        }
        for picture in pictures {
            for (variant, hash) in zip(PDQDihedral.allCases, picture.dihedral) {
                for found in pdqIndex.search(hash, maximumDistance: maximumDistance) {
                    let value = pdqValues[found.id]
                    var near = hit(
                        picture.field, .pdq, value, exact[Self.key(.pdq, value)] ?? [], match: "pdq",
                        closeness: max(0, 1 - Double(found.distance) / 64))
                    near.distance = found.distance
                    near.transform = variant.description
                    keep(near)
                }
            }
        }
        for text in texts {
            for found in textIndex.query(text.signature) where found.similarity >= minimumSimilarity {
                let value = textValues[found.index]
                var near = hit(
                    text.field, .textMinHash, value, exact[Self.key(.textMinHash, value)] ?? [], match: "minhash",
                    closeness: found.similarity)
                near.similarity = (found.similarity * 1000).rounded() / 1000
                keep(near)
            }
        }
        return hits.values.sorted {
            ($1.closeness, $0.field, $0.kind, $0.value) < ($0.closeness, $1.field, $1.kind, $1.value)
        }
    }

    private func hit(
        _ field: String, _ kind: IndicatorKind, _ value: String, _ reports: [Int], match: String, closeness: Double
    ) -> Hit {
        let entries = reports.map { view.reports[$0] }
        let cases = Set(entries.map(\.caseIndex))
        let origins = Set(cases.map { view.originNames[view.cases[$0].origin] ?? view.cases[$0].origin })
        return Hit(
            field: field, kind: kind.rawValue, value: value, match: match, distance: nil, similarity: nil,
            transform: nil, closeness: (closeness * 1000).rounded() / 1000,
            exclusivity: EvidenceGraph.median(
                entries.map { ItemClusters.exclusivity(posting: $0.accountsBucket, flagged: $0.flaggedBucket) }),
            origins: origins.sorted(), cases: cases.count,
            confidence: entries.map(\.confidence).max() ?? 0,
            labels: Array(Set(cases.flatMap { view.cases[$0].labels })).sorted(),
            operations: Array(Set(cases.flatMap { operationsByCase[$0] ?? [] })).sorted(),
            firstSeen: entries.map(\.firstSeen).min() ?? "", lastSeen: entries.map(\.lastSeen).max() ?? "")
    }

    private static func key(_ kind: IndicatorKind, _ value: String) -> String { "\(kind.rawValue)\u{0}\(value)" }
}
