import WeftCore
import WeftHashing
import WeftStore

@testable import WeftAnalysis

/// A scenario's reports delivered as a random sequence of deltas, in batches of random size, with reports retracted
/// every third step and a whole case every twelfth; after each step, the merged view a store would then hold. The
/// incremental merge's tests apply the deltas and compare with what a full rebuild of each view gives.
struct RandomArrivals {
    /// One delivery.
    struct Step {
        var delta: MergedViewDelta
        /// The merged view after it.
        var view: MergedView
        /// Whether it retracts anything.
        var retracts: Bool
    }

    let cases: [MergedView.CaseEntry]
    let steps: [Step]

    static func key(_ entry: MergedView.CaseEntry) -> MergedViewDelta.CaseKey {
        .init(origin: entry.origin, channel: entry.channel, caseID: entry.caseID)
    }

    init(_ scenario: TinyScenario, seed: UInt64) {
        let (cases, reports) = scenario.all
        let names = scenario.names
        let trust = names.mapValues { _ in 1.0 }
        var random = SeededRandom(seed: seed)
        let order = reports.shuffled(using: &random)
        var declared: Set<Int> = []
        var retracted: Set<Int> = []
        var live: [String: MergedView.ReportEntry] = [:]
        var position = 0
        var steps: [Step] = []
        while position < order.count {
            let step = steps.count
            let size = random.int(in: 1...max(1, order.count / 25))
            var delta = MergedViewDelta(
                isComplete: step == 0, originNames: names, trust: trust, cases: [], reports: [])
            // A case arrives with its first report; a retracted case takes no more (the store refuses them).
            for (id, entry) in order[position..<min(order.count, position + size)]
            where !retracted.contains(entry.caseIndex) {
                if declared.insert(entry.caseIndex).inserted { delta.cases.append(cases[entry.caseIndex]) }
                delta.reports.append(.init(id: id, caseKey: Self.key(cases[entry.caseIndex]), entry: entry))
                live[id] = entry
            }
            position += size
            if step % 3 == 2 {
                for id in live.keys.sorted().shuffled(using: &random).prefix(3) {
                    delta.retractedReports.append(id)
                    live[id] = nil
                }
                if step % 12 == 11, let victim = declared.subtracting(retracted).sorted().randomElement(using: &random)
                {
                    delta.retractedCases.append(Self.key(cases[victim]))
                    retracted.insert(victim)
                    live = live.filter { $0.value.caseIndex != victim }
                }
            }
            let view = MergedView(
                cases: cases, reports: live.keys.sorted().map { live[$0]! }, originNames: names, trust: trust)
            steps.append(Step(delta: delta, view: view, retracts: step % 3 == 2))
        }
        self.cases = cases
        self.steps = steps
    }
}
