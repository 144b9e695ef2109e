import WeftCore
import WeftHashing
import WeftStore

/// The merge kept up to date as bundles arrive: each ``MergedViewDelta`` updates only the items it touches, the
/// edges those items add to, and the operations around the cases whose edges or records changed. The operations
/// equal ``OperationFinder``'s full rebuild of the same view, whatever order the reports came in (a test applies
/// random arrival orders, with retractions, and compares).
///
/// Equality is by construction, not by luck: edge weights are fixed-point sums (``EvidenceGraph/Edge``), so taking
/// an item's old share away and adding its new one leaves exactly what a rebuild adds up; near pairs are found by
/// the same exact indexes; an operation is described by the same code from the same facts; and every operation
/// whose group may have changed (the strong component of any case an update touched, before weak bridges are cut)
/// is regrouped from scratch.
public struct IncrementalMerge: Sendable {
    public let policy: MergePolicy
    /// Where the store reader got to; the next delta starts here.
    public private(set) var mark = MergedViewMark.start

    var originNames: [String: String] = [:]
    var trust: [String: Double] = [:]
    var caseIndex: [MergedViewDelta.CaseKey: Int] = [:]
    /// Cases by index; nil once retracted.
    var cases: [MergedView.CaseEntry?] = []
    /// The trust in each case's origin (1 once retracted), read for every pair an item links.
    var caseTrust: [Double] = []
    /// Items each case reports.
    var itemsOfCase: [Set<Int>] = []
    /// Reports by id and by (case, item).
    var held = HeldReports()
    /// Each case's first and last day and schedules, from its reports.
    var activity: [Int: CaseActivity] = [:]
    var itemIndex: [IndicatorKind: [String: Int]] = [:]
    var items: [ItemClusters.Item] = []
    /// Each item's current weight as evidence (0 when it links nothing).
    var itemWeights: [Double] = []
    /// Near copies of each item.
    var nearOf: [Int: Set<Int>] = [:]
    var nearIndex = GrowingNearIndex()
    var edges: [EvidenceGraph.Pair: EvidenceGraph.Edge] = [:]
    /// Strong edges by case: neighbour → weight.
    var strong: [Int: [Int: Double]] = [:]
    /// Operations by their smallest case index, and each case's operation.
    var operationsByRoot: [Int: MergedOperation] = [:]
    /// Scratch for gathering an operation's items: the number of the gathering that last took each item.
    var itemGathered: [UInt32] = []
    var gathering: UInt32 = 0
    var membersByRoot: [Int: [Int]] = [:]
    var rootOf: [Int: Int] = [:]

    /// One case's reports of one item.
    typealias CaseItem = HeldReports.Location

    /// An empty merge.
    public init(policy: MergePolicy = MergePolicy()) { self.policy = policy }

    /// The operations, largest first (the order of ``OperationFinder/operations(in:)``).
    public var operations: [MergedOperation] { operationsByRoot.values.sorted(by: OperationFinder.listOrder) }

    /// Reads what changed in `store` since the last update and applies it; returns how many operations changed.
    @discardableResult
    public mutating func update(from store: NodeStore) throws -> Int {
        try apply(store.mergedViewDelta(after: mark))
    }

    /// Applies one delta; returns how many operations were described afresh.
    @discardableResult
    public mutating func apply(_ delta: MergedViewDelta) -> Int {
        if delta.isComplete || delta.trust != trust || delta.originNames != originNames {
            self = IncrementalMerge(policy: policy)
            originNames = delta.originNames
            trust = delta.trust
        }
        mark = delta.mark
        // Cases whose operation must be grouped again (an edge between strong and weak changed, or its size),
        // and cases whose operation must at least be described again (its reports, records or evidence changed).
        var regroupSeeds: Set<Int> = []
        var describeSeeds: Set<Int> = []
        var touchedItems: Set<Int> = []
        // Which (case, item) pairs lose or gain reports, and the cases declared or restated.
        // A report or case retracted in the same delta that brings it never enters.
        let retractedReports = Set(delta.retractedReports.map(ReportKey.init))
        var removals: [ReportKey] = retractedReports.filter(held.contains)
        let retractedCases = Set(delta.retractedCases.compactMap { caseIndex[$0] })
        for index in retractedCases {
            for item in itemsOfCase[index] { removals += held.keys(at: CaseItem(caseIndex: index, item: item)) }
        }
        var additions: [(key: ReportKey, location: CaseItem, entry: MergedView.ReportEntry)] = []
        for entry in delta.cases where originNames[entry.origin] != nil {
            let index = caseIndex(for: entry)
            if cases[index] != entry {
                cases[index] = entry
                caseTrust[index] = trust[entry.origin] ?? 1
                regroupSeeds.insert(index)
            }
        }
        for report in delta.reports {
            let key = ReportKey(report.id)
            guard !held.contains(key), !retractedReports.contains(key) else { continue }
            // Every report counts for timelines; kinds that never link make items that link nothing.
            guard let index = caseIndex[report.caseKey], cases[index] != nil, !retractedCases.contains(index)
            else { continue }
            var entry = report.entry
            entry.caseIndex = index
            additions.append((key, CaseItem(caseIndex: index, item: item(entry.kind, entry.value)), entry))
        }
        for key in removals { if let location = held.location(of: key) { touchedItems.insert(location.item) } }
        for addition in additions { touchedItems.insert(addition.location.item) }

        // What the touched items and their near pairs add to the edges now, before they change. New items already
        // found their near copies above, and a near pair of an item without reports adds nothing.
        let itemList = touchedItems.sorted()
        let nearList = Set(
            itemList.flatMap { item in nearOf[item, default: []].map { EvidenceGraph.Pair(item, $0) } }
        ).sorted()
        let before = links(items: itemList, nearPairs: nearList)
        var shrunk: Set<Int> = []
        for key in removals {
            guard let location = held.remove(key) else { continue }
            shrunk.insert(location.caseIndex)
            if held.isEmpty(at: location) { itemsOfCase[location.caseIndex].remove(location.item) }
            refreshReporter(location)
            describeSeeds.insert(location.caseIndex)
        }
        for (key, location, entry) in additions {
            held.insert(key, at: location, entry)
            itemsOfCase[location.caseIndex].insert(location.item)
            refreshReporter(location)
            describeSeeds.insert(location.caseIndex)
            if !shrunk.contains(location.caseIndex) {
                if activity[location.caseIndex] == nil {
                    activity[location.caseIndex] = CaseActivity(entry)
                } else {
                    activity[location.caseIndex]!.add(entry)
                }
            }
        }
        // A first or last day cannot be taken back out of a summary: cases that lost reports are summed again.
        for index in shrunk {
            activity[index] =
                CaseActivity.byCase(
                    itemsOfCase[index].lazy.flatMap { [held, items] in
                        held.entries(
                            at: CaseItem(caseIndex: index, item: $0), kind: items[$0].kind, value: items[$0].value)
                    }
                )[index]
        }
        for index in retractedCases where cases[index] != nil {
            cases[index] = nil
            caseTrust[index] = 1
            regroupSeeds.insert(index)
        }

        // Only the difference between the links before and after reaches the edges. An item whose link changed
        // changes the evidence of every operation holding two of its reporters.
        let after = links(items: itemList, nearPairs: nearList)
        var changedPairs: [EvidenceGraph.Pair] = []
        for (position, item) in itemList.enumerated() {
            let (old, new) = (before.items[position], after.items[position])
            guard old != new else { continue }
            itemWeights[item] = new?.weight ?? 0
            EvidenceGraph.replace(old, with: new, in: &edges, changed: &changedPairs)
            describeSeeds.formUnion(old?.cases ?? [])
            describeSeeds.formUnion(new?.cases ?? [])
        }
        for position in nearList.indices {
            EvidenceGraph.replace(
                before.nearPairs[position], with: after.nearPairs[position], in: &edges, changed: &changedPairs)
        }
        for pair in changedPairs {
            let weight = edges[pair].flatMap { EvidenceGraph.isStrong($0, policy: policy) ? $0.weight : nil }
            guard strong[pair.first]?[pair.second] != weight else { continue }
            strong[pair.first, default: [:]][pair.second] = weight
            strong[pair.second, default: [:]][pair.first] = weight
            regroupSeeds.formUnion([pair.first, pair.second])
        }
        return regroup(around: regroupSeeds, describing: describeSeeds.union(regroupSeeds))
    }

    /// The index of a case, added if new.
    private mutating func caseIndex(for entry: MergedView.CaseEntry) -> Int {
        let key = MergedViewDelta.CaseKey(origin: entry.origin, channel: entry.channel, caseID: entry.caseID)
        if let index = caseIndex[key] { return index }
        caseIndex[key] = cases.count
        cases.append(nil)
        caseTrust.append(1)
        itemsOfCase.append([])
        return cases.count - 1
    }

    /// The index of an item, added (and matched against the near-copy indexes) if new.
    private mutating func item(_ kind: IndicatorKind, _ value: String) -> Int {
        if let index = itemIndex[kind]?[value] { return index }
        let index = items.count
        itemIndex[kind, default: [:]][value] = index
        items.append(ItemClusters.Item(kind: kind, value: value))
        itemWeights.append(0)
        var near: [Int] = []
        if kind == .pdq, let hash = PDQHash(hex: value) {
            near = nearIndex.insertPDQ(hash, item: index, distance: policy.pdqDistance)
        } else if kind == .textMinHash, let signature = MinHashSignature(hex: value) {
            near = nearIndex.insertMinHash(signature, item: index, threshold: policy.textSimilarity)
        }
        for other in near {
            nearOf[index, default: []].insert(other)
            nearOf[other, default: []].insert(index)
        }
        return index
    }

    /// Recomputes one case's standing as a reporter of one item from that case's reports of it.
    private mutating func refreshReporter(_ location: CaseItem) {
        var standing: (exclusivity: Double, flagged: Int)?
        let item = items[location.item]
        for entry in held.entries(at: location, kind: item.kind, value: item.value) {
            standing = ItemClusters.reporter(entry, joining: standing)
        }
        items[location.item].cases[location.caseIndex] = standing
    }

    /// What each of `items` and `nearPairs` adds to the edges now (nil: nothing), in their order.
    private func links(
        items numbers: [Int], nearPairs: [EvidenceGraph.Pair]
    ) -> (items: [EvidenceGraph.Link?], nearPairs: [EvidenceGraph.Link?]) {
        let trust = { [caseTrust] (index: Int) in caseTrust[index] }
        return (
            numbers.map { EvidenceGraph.link(items[$0], trust: trust, policy: policy) },
            nearPairs.map {
                EvidenceGraph.nearLink(items[$0.first], items[$0.second], trust: trust, policy: policy)
            }
        )
    }
}
