import WeftHashing

/// How the multi-node commands (`weft demo`, `weft bench propagation`) wire their nodes: a ring, so that every
/// node is reachable, plus random chords until the mean degree is reached, as a federation whose members each
/// peer with a few others would look. Not all-to-all: bundles must be relayed to reach most nodes.
enum SparseTopology {
    /// The links between `nodes` nodes as pairs (smaller index first), sorted, without duplicates.
    static func edges(nodes: Int, degree: Int, random: inout SeededRandom) -> [(Int, Int)] {
        guard nodes > 1 else { return [] }
        var edges = Set((0..<nodes).map { [min($0, ($0 + 1) % nodes), max($0, ($0 + 1) % nodes)] })
        let target = min(nodes * degree / 2, nodes * (nodes - 1) / 2)
        while edges.count < target {
            let x = Int(random.next() % UInt64(nodes))
            let y = Int(random.next() % UInt64(nodes))
            if x != y { edges.insert([min(x, y), max(x, y)]) }
        }
        return edges.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0[0], $0[1]) }
    }
}
