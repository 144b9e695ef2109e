import WeftCore
import WeftStore

/// The evidence graph: vertices are cases, an edge sums the items two cases share, each weighted by its kind,
/// its exclusivity and the reporters' trust (DESIGN.md §6).
struct EvidenceGraph {
    /// What two cases share.
    struct Edge {
        var weight = 0.0
        /// Weight by evidence family.
        var families: [MergePolicy.Family: Double] = [:]

        /// Families that carry at least `minimum` weight, apart from schedule, which all office-hours operations
        /// share and so cannot link on its own. A family with less (one everyday hashtag) is coincidence.
        func independentFamilies(minimum: Double) -> Int {
            families.filter { $0.key != .schedule && $0.value >= minimum }.count
        }
    }

    let items: ItemClusters
    /// Edges by (smaller case index, larger case index).
    private(set) var edges: [Pair: Edge] = [:]
    /// Per item: its weight as evidence (0 when it is organic or too common).
    private(set) var itemWeights: [Double] = []

    struct Pair: Hashable, Comparable {
        let first: Int
        let second: Int
        init(_ a: Int, _ b: Int) {
            first = min(a, b)
            second = max(a, b)
        }
        static func < (lhs: Pair, rhs: Pair) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }
    }

    init(view: MergedView, policy: MergePolicy) {
        items = ItemClusters(view: view, policy: policy)
        itemWeights = [Double](repeating: 0, count: items.items.count)
        var exclusivities = [Double](repeating: 0, count: items.items.count)
        for (number, item) in items.items.enumerated() {
            exclusivities[number] = Self.median(item.cases.values.map(\.exclusivity))
            guard item.cases.count >= 2, Self.isCoordinated(item, policy: policy) else { continue }
            itemWeights[number] = link(
                Array(item.cases.keys), kind: item.kind, exclusivity: exclusivities[number], view: view, policy: policy)
        }
        for (first, second) in items.nearPairs {
            let a = items.items[first]
            let b = items.items[second]
            // Only the pairs across the two values are new; each value's own cases were linked above.
            let crossing = Set(a.cases.keys).symmetricDifference(b.cases.keys)
            // Each edited copy is often one account's; together the copies show several accounts at work.
            var both = a
            both.cases = a.cases.merging(b.cases) { ($0.exclusivity, $0.flagged + $1.flagged) }
            guard !crossing.isEmpty, Self.isCoordinated(both, policy: policy) else { continue }
            link(
                Array(Set(a.cases.keys).union(b.cases.keys)), kind: a.kind,
                exclusivity: min(exclusivities[first], exclusivities[second]) * 0.8, view: view, policy: policy,
                only: (Set(a.cases.keys), Set(b.cases.keys)))
        }
    }

    /// Adds one shared item's weight to the edges between `cases`; returns the item's weight (0 when it links
    /// nothing). Each pair gets weight ÷ (n − 1): an item many cases share says less about any two of them, which
    /// keeps hubs (popular links, reused pictures) from welding unrelated operations together.
    @discardableResult
    private mutating func link(
        _ cases: [Int], kind: IndicatorKind, exclusivity: Double, view: MergedView, policy: MergePolicy,
        only sides: (Set<Int>, Set<Int>)? = nil
    ) -> Double {
        guard cases.count >= 2, cases.count <= policy.maximumCasesPerItem, exclusivity >= policy.minimumExclusivity,
            let family = MergePolicy.family(of: kind)
        else { return 0 }
        let members = cases.sorted()
        let trust = members.map { view.trust[view.cases[$0].origin] ?? 1 }.min() ?? 1
        let weight = MergePolicy.weight(of: kind) * exclusivity * trust
        let share = weight / Double(members.count - 1)
        for (position, first) in members.enumerated() {
            for second in members[(position + 1)...] {
                if let (left, right) = sides,
                    (left.contains(first) && left.contains(second)) || (right.contains(first) && right.contains(second))
                {
                    continue
                }
                edges[Pair(first, second), default: Edge()].weight += share
                edges[Pair(first, second), default: Edge()].families[family, default: 0] += share
            }
        }
        return weight
    }

    /// Whether an edge is evidence enough to put its two cases in one operation: two independent families, or
    /// one family weighing at least `singleFamilyWeight`.
    static func isStrong(_ edge: Edge, policy: MergePolicy) -> Bool {
        guard edge.weight >= policy.minimumEdgeWeight else { return false }
        let families = edge.independentFamilies(minimum: policy.minimumFamilyWeight)
        return families >= 2 || (families == 1 && edge.weight >= policy.singleFamilyWeight)
    }

    /// Whether an item shows several accounts acting together rather than a coincidence: content posted by at
    /// least `minimumSupport` flagged accounts over all its reporters, or an identity seen on at least that many
    /// platforms. Two ordinary people who each once used the same rare hashtag, or share a common handle on two
    /// platforms, look "exclusive" only because the counts are tiny.
    static func isCoordinated(_ item: ItemClusters.Item, policy: MergePolicy) -> Bool {
        if MergePolicy.family(of: item.kind) == .identity { return item.cases.count >= policy.minimumSupport }
        return item.cases.values.reduce(0) { $0 + $1.flagged } >= policy.minimumSupport
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
