import WeftCore
import WeftStore

/// The evidence graph: vertices are cases, an edge sums the items two cases share, each weighted by its kind,
/// its exclusivity and the reporters' trust (DESIGN.md §6).
///
/// Weights are summed in fixed point (``Edge/scale`` units per unit of weight), so an edge's weight does not
/// depend on the order its items were added in, and taking an item's share away again restores the edge exactly.
/// That is what lets ``IncrementalMerge`` update the graph bundle by bundle and still equal a full rebuild.
struct EvidenceGraph {
    /// What two cases share.
    struct Edge: Equatable {
        /// Fixed-point units per unit of weight (2³²: shares are at most 1, and 2³¹ of them fit in an edge).
        static let scale = 4_294_967_296.0

        var units: Int64 = 0
        /// Units by evidence family, at each family's ``MergePolicy/Family/slot``. Kept inline rather than in a
        /// dictionary: an edge is updated millions of times in a rebuild, and a dictionary per edge allocated on
        /// every copy-on-write.
        private var familyUnits = InlineArray<6, Int64>(repeating: 0)

        /// The edge's weight.
        var weight: Double { Double(units) / Self.scale }

        /// Families that carry at least `minimum` weight, apart from schedule, which all office-hours operations
        /// share and so cannot link on its own. A family with less (one everyday hashtag) is coincidence.
        func independentFamilies(minimum: Double) -> Int {
            MergePolicy.Family.allCases.reduce(0) { count, family in
                count + (family != .schedule && Double(familyUnits[family.slot]) / Self.scale >= minimum ? 1 : 0)
            }
        }

        /// Adds `delta` units (negative to take away) of `family`.
        mutating func add(_ delta: Int64, of family: MergePolicy.Family) {
            units += delta
            familyUnits[family.slot] += delta
        }

        var isEmpty: Bool { units == 0 && (0..<6).allSatisfy { familyUnits[$0] == 0 } }

        static func == (lhs: Edge, rhs: Edge) -> Bool {
            lhs.units == rhs.units && (0..<6).allSatisfy { lhs.familyUnits[$0] == rhs.familyUnits[$0] }
        }
    }

    /// What one item (or pair of near copies) adds to each pair of cases it links.
    struct Link: Equatable {
        let family: MergePolicy.Family
        /// Fixed-point share per pair of cases.
        let share: Int64
        /// The item's weight as evidence.
        let weight: Double
        /// The cases on either end of its pairs, sorted.
        let cases: [Int]
        /// For near copies, which copy each of ``cases`` reports (bit 1 the first, bit 2 the second): pairs
        /// within one side are left out, and two cases share a side exactly when their bits overlap.
        let sides: [UInt8]?

        /// The pairs of cases it links, in sorted order, generated as they are read: a link of n reporters has
        /// n(n − 1)/2 of them, and most updates only walk them once.
        var pairs: PairSequence { PairSequence(cases: cases, sides: sides) }
    }

    /// The pairs of a ``Link``.
    struct PairSequence: Sequence, IteratorProtocol {
        let cases: [Int]
        let sides: [UInt8]?
        private var (first, second) = (0, 1)

        init(cases: [Int], sides: [UInt8]?) {
            self.cases = cases
            self.sides = sides
        }

        mutating func next() -> Pair? {
            while first + 1 < cases.count {
                if second == cases.count {
                    first += 1
                    second = first + 1
                    continue
                }
                let pair = Pair(cases[first], cases[second])
                second += 1
                if let sides, sides[first] & sides[second - 1] != 0 { continue }
                return pair
            }
            return nil
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
        let trustOfCase = view.cases.map { view.trust[$0.origin] ?? 1 }
        let trust = { (index: Int) in trustOfCase[index] }
        for (number, item) in items.items.enumerated() {
            guard let link = Self.link(item, trust: trust, policy: policy) else { continue }
            itemWeights[number] = link.weight
            add(link)
        }
        for (first, second) in items.nearPairs {
            guard let link = Self.nearLink(items.items[first], items.items[second], trust: trust, policy: policy)
            else { continue }
            add(link)
        }
    }

    /// Adds a link's share to each of its pairs.
    private mutating func add(_ link: Link) {
        for pair in link.pairs { Self.add(link.share, of: link.family, to: pair, in: &edges) }
    }

    /// Adds `units` (negative to take away) of `family` to one edge, dropping the edge when nothing is left.
    private static func add(_ units: Int64, of family: MergePolicy.Family, to pair: Pair, in edges: inout [Pair: Edge])
    {
        // Changed in place through its index: reading the edge out and writing it back hashes the pair twice.
        if let index = edges.index(forKey: pair) {
            edges.values[index].add(units, of: family)
            if edges.values[index].isEmpty { edges.remove(at: index) }
        } else {
            var edge = Edge()
            edge.add(units, of: family)
            edges[pair] = edge
        }
    }

    /// Replaces what `old` adds to the edges with what `new` adds, in one walk over both sorted pair lists (both
    /// are links of one item or one near pair, so of one family); appends each pair whose edge changed to `changed`.
    static func replace(_ old: Link?, with new: Link?, in edges: inout [Pair: Edge], changed: inout [Pair]) {
        guard old != new, let family = (old ?? new)?.family else { return }
        var before = old?.pairs ?? PairSequence(cases: [], sides: nil)
        var after = new?.pairs ?? PairSequence(cases: [], sides: nil)
        var (gone, come) = (before.next(), after.next())
        while gone != nil || come != nil {
            let pair: Pair
            let delta: Int64
            if let left = gone, come.map({ left < $0 }) ?? true {
                (pair, delta) = (left, -old!.share)
                gone = before.next()
            } else if let right = come, gone.map({ right < $0 }) ?? true {
                (pair, delta) = (right, new!.share)
                come = after.next()
            } else {
                (pair, delta) = (gone!, new!.share - old!.share)
                (gone, come) = (before.next(), after.next())
            }
            guard delta != 0 else { continue }
            add(delta, of: family, to: pair, in: &edges)
            changed.append(pair)
        }
    }

    /// What an item adds to the edges between the cases that report it, or nil when it links nothing.
    static func link(_ item: ItemClusters.Item, trust: (Int) -> Double, policy: MergePolicy) -> Link? {
        guard item.cases.count >= 2, isCoordinated(item, policy: policy) else { return nil }
        return link(
            Array(item.cases.keys), kind: item.kind, exclusivity: item.exclusivity, trust: trust, policy: policy)
    }

    /// What two near copies add between the cases on either side (pairs within one side were linked by that
    /// side's own item), or nil when they link nothing.
    ///
    /// A rebuild asks this of millions of near pairs, so it works on the two sorted case lists, cheapest refusals
    /// first, instead of building sets and a merged item per pair.
    static func nearLink(
        _ a: ItemClusters.Item, _ b: ItemClusters.Item, trust: (Int) -> Double, policy: MergePolicy
    ) -> Link? {
        let left = a.cases.keys.sorted()
        let right = b.cases.keys.sorted()
        var members: [Int] = []
        var sides: [UInt8] = []
        members.reserveCapacity(left.count + right.count)
        sides.reserveCapacity(left.count + right.count)
        var (l, r) = (0, 0)
        while l < left.count || r < right.count {
            if r == right.count || (l < left.count && left[l] < right[r]) {
                members.append(left[l])
                sides.append(1)
                l += 1
            } else if l == left.count || right[r] < left[l] {
                members.append(right[r])
                sides.append(2)
                r += 1
            } else {
                members.append(left[l])
                sides.append(3)
                (l, r) = (l + 1, r + 1)
            }
        }
        // Copies reported by exactly the same cases add nothing their own items did not.
        guard sides.contains(where: { $0 != 3 }), members.count <= policy.maximumCasesPerItem else { return nil }
        // Each edited copy is often one account's; together the copies show several accounts at work.
        guard
            isCoordinated(
                kind: a.kind, reporters: members.count, flagged: flagged(a) + flagged(b), policy: policy)
        else { return nil }
        return link(
            members, kind: a.kind, exclusivity: min(a.exclusivity, b.exclusivity) * 0.8, trust: trust, policy: policy,
            sides: sides)
    }

    /// One shared item's weight and the pairs of `cases` it adds to. Each pair gets weight ÷ (n − 1): an item
    /// many cases share says less about any two of them, which keeps hubs (popular links, reused pictures) from
    /// welding unrelated operations together. `sides`, for near copies, gives each case's side bits (cases sorted).
    private static func link(
        _ cases: [Int], kind: IndicatorKind, exclusivity: Double, trust: (Int) -> Double, policy: MergePolicy,
        sides: [UInt8]? = nil
    ) -> Link? {
        guard cases.count >= 2, cases.count <= policy.maximumCasesPerItem, exclusivity >= policy.minimumExclusivity,
            let family = MergePolicy.family(of: kind)
        else { return nil }
        let members = sides == nil ? cases.sorted() : cases
        let weight = MergePolicy.weight(of: kind) * exclusivity * (members.map(trust).min() ?? 1)
        let share = Int64((weight / Double(members.count - 1) * Edge.scale).rounded())
        var pairs = PairSequence(cases: members, sides: sides)
        guard share > 0, pairs.next() != nil else { return nil }
        return Link(family: family, share: share, weight: weight, cases: members, sides: sides)
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
        isCoordinated(kind: item.kind, reporters: item.cases.count, flagged: flagged(item), policy: policy)
    }

    /// The same rule for any set of reporters: `reporters` cases, `flagged` accounts over all of them (read only
    /// for content).
    static func isCoordinated(
        kind: IndicatorKind, reporters: Int, flagged: @autoclosure () -> Int, policy: MergePolicy
    ) -> Bool {
        MergePolicy.family(of: kind) == .identity
            ? reporters >= policy.minimumSupport : flagged() >= policy.minimumSupport
    }

    /// Flagged accounts over all of an item's reporters.
    private static func flagged(_ item: ItemClusters.Item) -> Int { item.cases.values.reduce(0) { $0 + $1.flagged } }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
