import WeftCore
import WeftStore

extension IncrementalMerge {
    /// Regroups the strong components (before weak bridges are cut) of `touched` cases and describes their
    /// operations afresh; operations elsewhere stay as they were. Returns how many operations were described.
    ///
    /// Nothing outside these components can change: an edge changes only between touched cases, and a component
    /// that loses an edge splits into parts that each hold one of its ends.
    mutating func regroup(around touched: Set<Int>) -> Int {
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
        var described = 0
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
                described += 1
            }
        }
        return described
    }

    /// What describing the operation of `members` needs, gathered from the state.
    private func facts(_ members: [Int]) -> OperationFacts {
        let memberSet = Set(members)
        var linking: Set<Int> = []
        var near: Set<EvidenceGraph.Pair> = []
        for member in members {
            for item in itemsOfCase[member] {
                if itemWeights[item] > 0 { linking.insert(item) }
                guard items[item].kind == .pdq || items[item].kind == .textMinHash, let others = nearOf[item] else {
                    continue
                }
                for other in others where items[other].cases.keys.contains(where: memberSet.contains) {
                    near.insert(EvidenceGraph.Pair(item, other))
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
