/// The adjusted Rand index of two partitions of the same items (Hubert and Arabie, 1985): 1 for identical
/// partitions, about 0 for chance agreement. Each partition is given as one label per item.
enum AdjustedRandIndex {
    static func of(_ first: [Int], _ second: [Int]) -> Double {
        precondition(first.count == second.count)
        let count = first.count
        guard count >= 2 else { return 1 }
        func pairs(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        var joint: [Int: [Int: Int]] = [:]
        var rows: [Int: Int] = [:]
        var columns: [Int: Int] = [:]
        for (a, b) in zip(first, second) {
            joint[a, default: [:]][b, default: 0] += 1
            rows[a, default: 0] += 1
            columns[b, default: 0] += 1
        }
        let index = joint.values.flatMap(\.values).reduce(0.0) { $0 + pairs($1) }
        let rowPairs = rows.values.reduce(0.0) { $0 + pairs($1) }
        let columnPairs = columns.values.reduce(0.0) { $0 + pairs($1) }
        let expected = rowPairs * columnPairs / pairs(count)
        let maximum = (rowPairs + columnPairs) / 2
        // Equal only when both partitions are all singletons or both one block: the same partition.
        guard maximum != expected else { return 1 }
        return (index - expected) / (maximum - expected)
    }
}
