import WeftCore
import WeftStore

extension IncrementalMerge {
    /// Regroups the strong components (before weak bridges are cut) of `touched` cases and describes their
    /// operations afresh, then describes again the operations of `described` cases outside them; operations
    /// elsewhere stay as they were. Returns how many operations were described.
    ///
    /// No group outside these components can change: groups depend only on strong edges and case sizes, a strong
    /// edge changes only between touched cases, and a component that loses an edge splits into parts that each
    /// hold one of its ends.
    mutating func regroup(around touched: Set<Int>, describing described: Set<Int>) -> Int {
        var seen: Set<Int> = []
        var components: [[Int]] = []
        for start in touched.sorted() where seen.insert(start).inserted {
            var component = [start]
            var next = 0
            while next < component.count {
                for neighbour in strong[component[next]]?.keys ?? [:].keys where seen.insert(neighbour).inserted {
                    component.append(neighbour)
                }
                next += 1
            }
            components.append(component.sorted())
        }
        for vertex in seen {
            guard let root = rootOf[vertex] else { continue }
            operationsByRoot[root] = nil
            for member in membersByRoot.removeValue(forKey: root) ?? [] { rootOf[member] = nil }
        }
        var count = 0
        for component in components where component.count >= 2 {
            let local = Dictionary(uniqueKeysWithValues: component.enumerated().map { ($1, $0) })
            var links: [WeakBridges.Link] = []
            for vertex in component {
                for (neighbour, weight) in strong[vertex] ?? [:] where vertex < neighbour {
                    links.append(WeakBridges.Link(first: local[vertex]!, second: local[neighbour]!, weight: weight))
                }
            }
            let groups = OperationFinder.groups(links, count: component.count, policy: policy) {
                cases[component[$0]]?.accountsBucket ?? 0
            }
            for group in groups {
                let members = group.map { component[$0] }
                let root = members[0]
                operationsByRoot[root] = MergedOperation(facts(members))
                membersByRoot[root] = members
                for member in members { rootOf[member] = root }
                count += 1
            }
        }
        var again: Set<Int> = []
        for member in described where !seen.contains(member) {
            guard let root = rootOf[member], again.insert(root).inserted else { continue }
            operationsByRoot[root] = MergedOperation(facts(membersByRoot[root]!))
        }
        return count + again.count
    }

    /// What describing the operation of `members` needs, gathered from the state.
    private mutating func facts(_ members: [Int]) -> OperationFacts {
        let membership = CaseMembership(members)
        // Items many members report are taken once: marked with this call's number, cheaper than a set.
        gathering &+= 1
        if gathering == 0 {
            itemGathered = []
            gathering = 1
        }
        itemGathered += [UInt32](repeating: 0, count: max(0, items.count - itemGathered.count))
        var linking: [Int] = []
        var near: [EvidenceGraph.Pair] = []
        for member in members {
            for item in itemsOfCase[member] where itemGathered[item] != gathering {
                itemGathered[item] = gathering
                if itemWeights[item] > 0 { linking.append(item) }
                guard items[item].kind == .pdq || items[item].kind == .textMinHash, let others = nearOf[item] else {
                    continue
                }
                // Each near pair once: from its smaller item (the larger, reported inside too, is visited as well).
                for other in others where item < other && items[other].cases.keys.contains(where: membership.contains) {
                    near.append(EvidenceGraph.Pair(item, other))
                }
            }
        }
        return OperationFacts(
            members: members.map { ($0, cases[$0]!) }, items: linking.map { (items[$0], itemWeights[$0]) },
            nearPairs: near.map { (items[$0.first], items[$0.second]) },
            activity: Dictionary(
                uniqueKeysWithValues: members.compactMap { member in activity[member].map { (member, $0) } }),
            originNames: originNames)
    }
}
