/// Disjoint sets with path halving.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ item: Int) -> Int {
        var item = item
        while parent[item] != item {
            parent[item] = parent[parent[item]]
            item = parent[item]
        }
        return item
    }

    mutating func join(_ first: Int, _ second: Int) {
        let a = find(first)
        let b = find(second)
        if a != b { parent[max(a, b)] = min(a, b) }
    }
}
