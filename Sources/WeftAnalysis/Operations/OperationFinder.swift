import Foundation
import WeftCore
import WeftStore

/// Finds operations in a node's merged view: builds the evidence graph, keeps the edges that are evidence
/// enough, and reports each connected group of two or more cases as an operation. The result depends only on
/// the view, never on the order bundles arrived in. This is the full rebuild; ``IncrementalMerge`` gives the same
/// operations by updating only what a change touches.
public struct OperationFinder: Sendable {
    public let policy: MergePolicy

    /// Creates a finder.
    public init(policy: MergePolicy = MergePolicy()) { self.policy = policy }

    /// The operations, largest first.
    public func operations(in view: MergedView) -> [MergedOperation] {
        let graph = EvidenceGraph(view: view, policy: policy)
        let strong = graph.edges.filter { EvidenceGraph.isStrong($0.value, policy: policy) }
            .map { WeakBridges.Link(first: $0.key.first, second: $0.key.second, weight: $0.value.weight) }
        let groups = Self.groups(strong, count: view.cases.count, policy: policy) { view.cases[$0].accountsBucket }
        var root = [Int](repeating: -1, count: view.cases.count)
        for (number, group) in groups.enumerated() { for member in group { root[member] = number } }
        let activity = CaseActivity.byCase(view.reports.lazy.filter { root[$0.caseIndex] >= 0 })
        // Which items and near pairs each group holds, in one pass over the items rather than one per group. One
        // scratch list serves every item: a rebuild walks millions of them.
        var itemsByGroup: [Int: [(item: ItemClusters.Item, weight: Double)]] = [:]
        var held: [Int] = []
        for (number, item) in graph.items.items.enumerated() where graph.itemWeights[number] > 0 {
            held.removeAll(keepingCapacity: true)
            for caseIndex in item.cases.keys where root[caseIndex] >= 0 { held.append(root[caseIndex]) }
            guard held.count >= 2 else { continue }
            held.sort()
            for (offset, group) in held.enumerated()
            where offset > 0 && held[offset - 1] == group && (offset < 2 || held[offset - 2] != group) {
                itemsByGroup[group, default: []].append((item, graph.itemWeights[number]))
            }
        }
        var nearByGroup: [Int: [(ItemClusters.Item, ItemClusters.Item)]] = [:]
        var other: [Int] = []
        for (first, second) in graph.items.nearPairs {
            let a = graph.items.items[first]
            let b = graph.items.items[second]
            held.removeAll(keepingCapacity: true)
            other.removeAll(keepingCapacity: true)
            for caseIndex in a.cases.keys where root[caseIndex] >= 0 { held.append(root[caseIndex]) }
            guard !held.isEmpty else { continue }
            for caseIndex in b.cases.keys where root[caseIndex] >= 0 { other.append(root[caseIndex]) }
            held.sort()
            other.sort()
            var next = 0
            for (offset, group) in held.enumerated() where offset == 0 || held[offset - 1] != group {
                while next < other.count && other[next] < group { next += 1 }
                if next < other.count && other[next] == group { nearByGroup[group, default: []].append((a, b)) }
            }
        }
        return groups.enumerated().map { number, group in
            MergedOperation(
                OperationFacts(
                    members: group.map { ($0, view.cases[$0]) }, items: itemsByGroup[number] ?? [],
                    nearPairs: nearByGroup[number] ?? [], activity: activity,
                    originNames: view.originNames))
        }
        .sorted(by: Self.listOrder)
    }

    /// Largest first, then by id.
    static func listOrder(_ a: MergedOperation, _ b: MergedOperation) -> Bool {
        (a.cases.count, b.id) > (b.cases.count, a.id)
    }

    /// The operations' case groups among `count` vertices joined by `strong` links: weak bridges cut, then the
    /// connected groups of two or more cases that hold at least one case of several accounts. Coordination takes
    /// several accounts: a group of single-account cases is one voice cross-posting (a news outlet, a person),
    /// however exclusive its content. A case no other case links to is its platform's own finding, not something
    /// the federation revealed. Each group is sorted; groups come in order of their smallest member.
    static func groups(
        _ strong: [WeakBridges.Link], count: Int, policy: MergePolicy, accountsBucket: (Int) -> Int
    ) -> [[Int]] {
        let links = strong.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
        let cuts = WeakBridges.cuts(
            links, count: count, ratio: policy.bridgeRatio, minimumSide: policy.minimumCommunitySize)
        var union = UnionFind(count: count)
        for link in links where !cuts.contains(link) { union.join(link.first, link.second) }
        var groups: [Int: [Int]] = [:]
        for link in links {
            for vertex in [link.first, link.second] { groups[union.find(vertex), default: []].append(vertex) }
        }
        return groups.values.map { Array(Set($0)).sorted() }
            .filter { group in group.count >= 2 && group.contains { accountsBucket($0) >= policy.minimumCaseBucket } }
            .sorted { $0[0] < $1[0] }
    }

    static func rounded(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
}
