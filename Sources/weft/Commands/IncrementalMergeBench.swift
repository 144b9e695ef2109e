import Foundation
import WeftAnalysis
import WeftStore

/// The incremental merge measured on a view `weft bench merge` built: loaded whole, then bundles of 1,000 reports
/// (consecutive reports of one origin, as `weft publish` cuts them) retracted and delivered again one at a time.
/// Each update's result is compared with the full rebuild's.
struct IncrementalMergeBench {
    struct Result: Encodable {
        /// Loading the whole view into an empty incremental merge.
        var loadSeconds: Double
        /// One bundle's reports delivered, and the same reports retracted, in milliseconds.
        var deliverMilliseconds: [Double]
        var retractMilliseconds: [Double]
        /// Whether every update equalled the full rebuild; nil when not checked.
        var equalsRebuild: Bool?
    }

    let view: MergedView
    let policy: MergePolicy
    /// Whether to compare each update with a full rebuild of the same reports. The comparison holds a second
    /// view and its rebuild in memory beside the incremental state, which does not fit at ten million reports.
    var checksRebuild = true
    /// Whether to print progress lines (with resident memory) on standard error.
    var progress = false

    /// Measures `bundles` bundles spread over the view's origins. `rebuilt` is the full rebuild of the whole view.
    func run(bundles: Int, rebuilt: [MergedOperation]) -> Result {
        // Report ids shaped like a store's (64 hex digits), so the state holds what it holds on a node.
        let ids = view.reports.indices.map { index in
            let digits = String(index, radix: 16)
            return String(repeating: "0", count: 64 - digits.count) + digits
        }
        func report(_ index: Int) -> MergedViewDelta.Report {
            let entry = view.reports[index]
            let owner = view.cases[entry.caseIndex]
            return .init(
                id: ids[index],
                caseKey: .init(origin: owner.origin, channel: owner.channel, caseID: owner.caseID), entry: entry)
        }
        var started = DispatchTime.now().uptimeNanoseconds
        var merge = IncrementalMerge(policy: policy)
        merge.apply(
            MergedViewDelta(
                isComplete: true, originNames: view.originNames, trust: view.trust, cases: view.cases,
                reports: view.reports.indices.map(report)))
        let load = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if progress {
            printError(
                "incremental state loaded in \(String(format: "%.1f", load)) s (resident \(ResidentMemory.description()))"
            )
        }
        var equal = !checksRebuild || merge.operations == rebuilt

        // Bundles: each origin's reports in view order, cut every 1,000.
        var byOrigin: [String: [Int]] = [:]
        for (index, entry) in view.reports.enumerated() {
            byOrigin[view.cases[entry.caseIndex].origin, default: []].append(index)
        }
        var chunks: [[Int]] = []
        for origin in byOrigin.keys.sorted() {
            let indices = byOrigin[origin]!
            chunks += stride(from: 0, to: indices.count, by: 1_000).map {
                Array(indices[$0..<min(indices.count, $0 + 1_000)])
            }
        }
        chunks = chunks.filter { $0.count == 1_000 }
        let picked =
            chunks.isEmpty
            ? [] : (0..<min(bundles, chunks.count)).map { chunks[$0 * chunks.count / min(bundles, chunks.count)] }
        var deliver: [Double] = []
        var retract: [Double] = []
        for chunk in picked {
            started = DispatchTime.now().uptimeNanoseconds
            merge.apply(
                MergedViewDelta(
                    isComplete: false, originNames: view.originNames, trust: view.trust, cases: [], reports: [],
                    retractedReports: chunk.map { ids[$0] }))
            retract.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            if checksRebuild {
                var without = view
                let gone = Set(chunk)
                without.reports = view.reports.indices.filter { !gone.contains($0) }.map { view.reports[$0] }
                equal = equal && merge.operations == OperationFinder(policy: policy).operations(in: without)
            }
            started = DispatchTime.now().uptimeNanoseconds
            merge.apply(
                MergedViewDelta(
                    isComplete: false, originNames: view.originNames, trust: view.trust, cases: [],
                    reports: chunk.map(report)))
            deliver.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            equal = equal && (!checksRebuild || merge.operations == rebuilt)
        }
        return Result(
            loadSeconds: load, deliverMilliseconds: deliver, retractMilliseconds: retract,
            equalsRebuild: checksRebuild ? equal : nil)
    }
}
