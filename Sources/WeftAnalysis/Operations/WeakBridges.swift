/// Finds the edges to cut where a weak bridge joins two strong communities: an edge whose removal splits its
/// component into two sides of at least `minimumSide` cases each, both with internal edges, and whose weight is
/// below `ratio` times the median internal edge weight of the weaker side. Two operations that happen to share
/// one case pair's worth of evidence then stay two operations.
///
/// Bridges are found with Tarjan's low-link method (iterative, so deep chains cannot overflow the stack). A
/// bridge stays a bridge when other bridges are cut, so one pass decides every cut.
enum WeakBridges {
    /// One strong edge of the evidence graph.
    struct Link: Hashable {
        let first: Int
        let second: Int
        let weight: Double
    }

    /// The links to cut, out of `links` over `count` vertices.
    static func cuts(_ links: [Link], count: Int, ratio: Double, minimumSide: Int) -> Set<Link> {
        guard ratio > 0 else { return [] }
        var adjacency = [[(vertex: Int, link: Int)]](repeating: [], count: count)
        for (number, link) in links.enumerated() {
            adjacency[link.first].append((link.second, number))
            adjacency[link.second].append((link.first, number))
        }
        var cuts: Set<Link> = []
        for number in bridges(adjacency, count: count) {
            let bridge = links[number]
            let left = side(from: bridge.first, without: number, adjacency)
            let right = side(from: bridge.second, without: number, adjacency)
            guard left.count >= minimumSide, right.count >= minimumSide else { continue }
            let strength = min(
                medianInternal(left, without: number, adjacency, links),
                medianInternal(right, without: number, adjacency, links))
            if bridge.weight < ratio * strength { cuts.insert(bridge) }
        }
        return cuts
    }

    /// Indices of the links that are bridges.
    private static func bridges(_ adjacency: [[(vertex: Int, link: Int)]], count: Int) -> [Int] {
        var order = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var found: [Int] = []
        var clock = 0
        for root in 0..<count where order[root] < 0 && !adjacency[root].isEmpty {
            // Frames: (vertex, link it was entered by, next neighbour to look at).
            var stack: [(vertex: Int, via: Int, next: Int)] = [(root, -1, 0)]
            order[root] = clock
            low[root] = clock
            clock += 1
            while let top = stack.last {
                if top.next < adjacency[top.vertex].count {
                    stack[stack.count - 1].next += 1
                    let (neighbour, link) = adjacency[top.vertex][top.next]
                    if link == top.via { continue }
                    if order[neighbour] < 0 {
                        order[neighbour] = clock
                        low[neighbour] = clock
                        clock += 1
                        stack.append((neighbour, link, 0))
                    } else {
                        low[top.vertex] = min(low[top.vertex], order[neighbour])
                    }
                } else {
                    stack.removeLast()
                    guard let parent = stack.last else { continue }
                    low[parent.vertex] = min(low[parent.vertex], low[top.vertex])
                    if low[top.vertex] > order[parent.vertex] { found.append(top.via) }
                }
            }
        }
        return found.sorted()
    }

    /// The vertices reachable from `start` without crossing link `excluded`.
    private static func side(
        from start: Int, without excluded: Int, _ adjacency: [[(vertex: Int, link: Int)]]
    )
        -> Set<Int>
    {
        var seen: Set<Int> = [start]
        var queue = [start]
        while let vertex = queue.popLast() {
            for (neighbour, link) in adjacency[vertex] where link != excluded && seen.insert(neighbour).inserted {
                queue.append(neighbour)
            }
        }
        return seen
    }

    /// The median weight of the links inside `vertices` (0 if there are none, so such a side never counts as a
    /// strong community).
    private static func medianInternal(
        _ vertices: Set<Int>, without excluded: Int, _ adjacency: [[(vertex: Int, link: Int)]], _ links: [Link]
    ) -> Double {
        var weights: [Double] = []
        for vertex in vertices {
            for (neighbour, link) in adjacency[vertex] where link != excluded && vertex < neighbour {
                weights.append(links[link].weight)
            }
        }
        return EvidenceGraph.median(weights)
    }
}
