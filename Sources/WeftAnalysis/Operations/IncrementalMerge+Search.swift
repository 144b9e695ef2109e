import WeftCore
import WeftHashing
import WeftStore

/// Analysts' questions answered from the merge's own state: its items (each distinct reported value, with the
/// cases that report it), the reports it holds per case and item, and the near-copy indexes it grows as values
/// arrive. Nothing is read from the store, so a question right after a bundle arrived costs the update alone.
extension IncrementalMerge: ReportSearch {
    public func pdq(_ hash: PDQHash, maximumDistance: Int) -> [IndicatorSearch.Match] {
        nearIndex.pdqItems(within: maximumDistance, of: hash).compactMap { found in
            match(item: found.item, distance: found.distance, similarity: nil)
        }.sorted(by: IndicatorSearch.byDistance)
    }

    /// Exact, like ``IndicatorSearch``'s. Fastest after ``prepareTextSearch(minimumTail:)``; without it every signature that
    /// arrived since it last ran is compared.
    public func minHash(_ signature: MinHashSignature, minimumSimilarity: Double) -> [IndicatorSearch.Match] {
        nearIndex.minHashItems(similarTo: signature, minimumSimilarity: minimumSimilarity).compactMap { found in
            match(item: found.item, distance: nil, similarity: found.similarity)
        }.sorted(by: IndicatorSearch.bySimilarity)
    }

    public func detail(of operation: MergedOperation) -> OperationDetail {
        OperationDetail(operation: operation, view: view(ofCases: operation.cases))
    }

    /// Brings the pigeonhole tables behind ``minHash(_:minimumSimilarity:)`` up to date when enough signatures
    /// arrived since they were built (``GrowingNearIndex/prepareExactMinHash(minimumTail:)``). The analyst API calls
    /// it at its warm-up and before each text question; it is kept out of ``apply(_:)`` so that updates stay quick.
    public mutating func prepareTextSearch(minimumTail: Int = 16_384) {
        nearIndex.prepareExactMinHash(minimumTail: minimumTail)
    }

    /// The indicators most often reported in the same cases as `indicator`, as ``NodeStore/cooccurring(with:limit:)``
    /// finds them in the store: most shared cases first, ties in the order of their keys. Keys are hashed only for
    /// the counts that make the cut.
    public func cooccurring(with indicator: Indicator, limit: Int = 10) -> [CooccurringIndicator] {
        guard let number = itemIndex[indicator.kind]?[indicator.value] else { return [] }
        var shared: [Int: Int] = [:]
        for caseIndex in items[number].cases.keys where cases[caseIndex] != nil {
            for other in itemsOfCase[caseIndex] where other != number { shared[other, default: 0] += 1 }
        }
        var found: [CooccurringIndicator] = []
        for (count, group) in Dictionary(grouping: shared.keys, by: { shared[$0]! }).sorted(by: { $0.key > $1.key }) {
            guard found.count < limit else { break }
            let byKey = group.map { item in
                (key: Hex.encode(Indicator.keyDigest(kind: items[item].kind, value: items[item].value)), item: item)
            }.sorted { $0.key < $1.key }
            for entry in byKey.prefix(limit - found.count) {
                let item = items[entry.item]
                found.append(CooccurringIndicator(kind: item.kind.rawValue, value: item.value, cases: count))
            }
        }
        return found
    }

    /// The part of the merged view that holds `references`' cases and all their reports (in no particular order).
    func view(ofCases references: [MergedOperation.CaseReference]) -> MergedView {
        var viewCases: [MergedView.CaseEntry] = []
        var reports: [MergedView.ReportEntry] = []
        for reference in references {
            let key = MergedViewDelta.CaseKey(
                origin: reference.origin, channel: reference.channel, caseID: reference.caseID)
            guard let index = caseIndex[key], let entry = cases[index] else { continue }
            for item in itemsOfCase[index] {
                let entries = held.entries(
                    at: CaseItem(caseIndex: index, item: item), kind: items[item].kind, value: items[item].value)
                for var report in entries {
                    report.caseIndex = viewCases.count
                    reports.append(report)
                }
            }
            viewCases.append(entry)
        }
        return MergedView(cases: viewCases, reports: reports, originNames: originNames, trust: trust)
    }

    /// An item as a search result with every case that reports it, or nil when no report holds it any more.
    private func match(item number: Int, distance: Int?, similarity: Double?) -> IndicatorSearch.Match? {
        let item = items[number]
        var reports: [(report: MergedView.ReportEntry, case: MergedView.CaseEntry)] = []
        for caseIndex in item.cases.keys {
            guard let entry = cases[caseIndex] else { continue }
            for report in held.entries(
                at: CaseItem(caseIndex: caseIndex, item: number), kind: item.kind, value: item.value)
            {
                reports.append((report, entry))
            }
        }
        guard !reports.isEmpty else { return nil }
        return IndicatorSearch.Match(
            kind: item.kind.rawValue, value: item.value, distance: distance, similarity: similarity, transform: nil,
            cases: IndicatorSearch.hits(reports, originNames: originNames))
    }
}
