import Foundation
import WeftHashing

/// The distributions the scenario draws from, on top of the seeded SplitMix64 generator.
extension SeededRandom {
    /// A stream for one part of the scenario: the same seed and label always give the same stream, and different
    /// labels give independent ones, so platforms can be generated in parallel and in any order.
    static func stream(seed: UInt64, _ label: String, _ index: Int = 0) -> SeededRandom {
        var state = seed ^ 0x5745_4654_5343_454E  // "WEFTSCEN"
        for byte in label.utf8 { state = MinHasher.mix(state ^ UInt64(byte)) }
        return SeededRandom(seed: MinHasher.mix(state ^ UInt64(truncatingIfNeeded: index)))
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Uniform in `range`.
    mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 0x1p-53)
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Log-normal with the given median and σ of the logarithm.
    mutating func logNormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// Log-uniform integer in `range`: each order of magnitude is equally likely.
    mutating func logUniform(in range: ClosedRange<Int>) -> Int {
        let low = log(Double(range.lowerBound))
        let high = log(Double(range.upperBound + 1))
        return min(range.upperBound, Int(exp(double(in: low...high))))
    }

    /// One element, uniformly.
    mutating func pick<T>(_ items: [T]) -> T { items[int(in: 0...(items.count - 1))] }

    /// An index drawn with probability proportional to `weights`.
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// `count` distinct indices from `0..<population`, in drawing order.
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var indices = Array(0..<population)
        let wanted = min(count, population)
        for position in 0..<wanted { indices.swapAt(position, int(in: position...(population - 1))) }
        return Array(indices.prefix(wanted))
    }
}

/// Zipf's law over ranks 1…n with exponent s, sampled by inverting a precomputed cumulative table.
struct ZipfTable: Sendable {
    private let cumulative: [Double]

    init(count: Int, exponent: Double) {
        var running = 0.0
        var table: [Double] = []
        table.reserveCapacity(count)
        for rank in 1...max(1, count) {
            running += 1 / pow(Double(rank), exponent)
            table.append(running)
        }
        cumulative = table.map { $0 / running }
    }

    /// A rank, 0-based: 0 is the most popular.
    func draw(_ random: inout SeededRandom) -> Int {
        let target = random.unit()
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
