import Dispatch
import WeftCore
import WeftHashing
import WeftStore

/// Groups the merged view's reports into items, one per exact value, and finds the pairs of items that are near
/// copies of each other (PDQ within the policy's distance, MinHash above its similarity). Each item knows which
/// cases reported it and how exclusive each reporter says it is.
struct ItemClusters {
    /// One item.
    struct Item {
        var kind: IndicatorKind
        /// The indicator's value.
        var value: String
        /// Cases that reported it, each with the exclusivity its origin reported and the flagged accounts it
        /// involves (the lower bound of the flagged bucket).
        var cases: [Int: (exclusivity: Double, flagged: Int)] = [:]

        /// The median of its reporters' exclusivities.
        var exclusivity: Double { EvidenceGraph.median(cases.values.map(\.exclusivity)) }
    }

    private(set) var items: [Item] = []
    /// Items that are near copies of each other (indices into ``items``, of one kind).
    private(set) var nearPairs: [(Int, Int)] = []

    init(view: MergedView, policy: MergePolicy) {
        items = Self.exactItems(view.reports)
        // Then near copies: pairs of values of one kind within reach of each other. Pairs, not groups: joining
        // near copies transitively would chain unrelated texts through intermediate ones.
        let pdq = items.indices.compactMap { slot in
            items[slot].kind == .pdq ? PDQHash(hex: items[slot].value).map { (slot, $0) } : nil
        }
        nearPairs = NearPairs.pdq(pdq, distance: policy.pdqDistance)
        let texts = items.indices.filter { items[$0].kind == .textMinHash }
        var parsed: [Int] = []
        let signatures = FlatSignatures(parsing: texts.map { items[$0].value }, parsed: &parsed)
        nearPairs += NearPairs.minHash(signatures, slots: parsed.map { texts[$0] }, threshold: policy.textSimilarity)
    }

    /// One item per (kind, value) of the reports the merge weighs, in order of each value's first report.
    ///
    /// The kinds are shared between two tasks of about equal report counts, each building its kinds' items on its
    /// own core (a ten-million-report view has millions of values, and the table look-ups wait on memory); the two
    /// lists are then merged by first report, which gives exactly the order one pass would.
    static func exactItems(_ reports: [MergedView.ReportEntry]) -> [Item] {
        var reportsOfKind: [IndicatorKind: Int] = [:]
        for report in reports where MergePolicy.family(of: report.kind) != nil {
            reportsOfKind[report.kind, default: 0] += 1
        }
        var shares: [Set<IndicatorKind>] = [[], []]
        var loads = [0, 0]
        for (kind, count) in reportsOfKind.sorted(by: { ($0.value, $0.key) > ($1.value, $1.key) }) {
            let lighter = loads[0] <= loads[1] ? 0 : 1
            shares[lighter].insert(kind)
            loads[lighter] += count
        }
        var parts = [(items: [Item], firstReports: [Int])](repeating: ([], []), count: 2)
        let (kinds, counts) = (shares, reportsOfKind)
        parts.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot; the reports are only read.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                output[part] = items(of: kinds[part], in: reports, counts: counts)
            }
        }
        var merged: [Item] = []
        merged.reserveCapacity(parts[0].items.count + parts[1].items.count)
        var (left, right) = (0, 0)
        while left < parts[0].items.count || right < parts[1].items.count {
            if right == parts[1].items.count
                || (left < parts[0].items.count && parts[0].firstReports[left] < parts[1].firstReports[right])
            {
                merged.append(parts[0].items[left])
                left += 1
            } else {
                merged.append(parts[1].items[right])
                right += 1
            }
        }
        return merged
    }

    /// The items of `kinds`, in order of first report, with the position of each one's first report. Each kind's
    /// table is sized up front from `counts`: growing one rehashes every value it holds.
    private static func items(
        of kinds: Set<IndicatorKind>, in reports: [MergedView.ReportEntry], counts: [IndicatorKind: Int]
    ) -> (items: [Item], firstReports: [Int]) {
        var index: [IndicatorKind: [ValueKey: Int]] = [:]
        for kind in kinds { index[kind, default: [:]].reserveCapacity(counts[kind] ?? 0) }
        var items: [Item] = []
        var firstReports: [Int] = []
        for (position, report) in reports.enumerated() where kinds.contains(report.kind) {
            let slot: Int
            let key = ValueKey(report.value)
            if let existing = index[report.kind]?[key] {
                slot = existing
            } else {
                slot = items.count
                index[report.kind, default: [:]][key] = slot
                items.append(Item(kind: report.kind, value: report.value))
                firstReports.append(position)
            }
            // Changed in place: reading the standing out and writing it back hashed the case twice per report.
            join(report, to: &items[slot].cases[report.caseIndex, default: (exclusivity: 1, flagged: 0)])
        }
        return (items, firstReports)
    }

    /// An indicator value as a table key, hashed by its length and its first and last 32 bytes. Values are
    /// mostly hex digests up to 1,024 digits long (MinHash signatures), where those bytes already tell values
    /// apart, and hashing every byte was a tenth of a large merge. Equality still compares whole values, so a
    /// collision costs a comparison, never a wrong item.
    struct ValueKey: Hashable {
        let value: String

        init(_ value: String) { self.value = value }

        func hash(into hasher: inout Hasher) {
            var value = value
            value.withUTF8 { bytes in
                hasher.combine(bytes.count)
                let raw = UnsafeRawBufferPointer(bytes)
                hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw.prefix(32)))
                if raw.count > 32 { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw.suffix(32))) }
            }
        }

        static func == (lhs: ValueKey, rhs: ValueKey) -> Bool { lhs.value == rhs.value }
    }

    /// How little an item spreads beyond flagged accounts on one platform: flagged ÷ posting, from the buckets
    /// (2^(flagged − posting); equal buckets give 1, and so do impossible counts of more flagged than posting).
    static func exclusivity(posting: Int, flagged: Int) -> Double {
        guard posting > 0 else { return 1 }
        return Double.pow2(min(0, flagged - posting))
    }

    /// One case's standing as a reporter of an item, with one more of its reports: the least exclusivity and the
    /// most flagged accounts (the lower bound of the flagged bucket) any of its reports gives.
    static func reporter(
        _ report: MergedView.ReportEntry, joining previous: (exclusivity: Double, flagged: Int)?
    ) -> (exclusivity: Double, flagged: Int) {
        var standing = previous ?? (exclusivity: 1, flagged: 0)
        join(report, to: &standing)
        return standing
    }

    /// Adds one more report to a case's standing (a case with no reports yet stands at exclusivity 1, flagged 0).
    static func join(_ report: MergedView.ReportEntry, to standing: inout (exclusivity: Double, flagged: Int)) {
        let exclusivity = exclusivity(posting: report.accountsBucket, flagged: report.flaggedBucket)
        let flagged = report.flaggedBucket <= 0 ? 0 : 1 << min(report.flaggedBucket - 1, 40)
        standing = (min(standing.exclusivity, exclusivity), max(standing.flagged, flagged))
    }
}

extension Double {
    /// 2 to an integer power.
    static func pow2(_ exponent: Int) -> Double {
        exponent >= 0 ? Double(1 << min(exponent, 62)) : 1 / Double(1 << min(-exponent, 62))
    }
}
