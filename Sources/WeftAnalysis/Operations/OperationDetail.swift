import WeftCore
import WeftStore

/// What an analyst sees of one operation beyond its summary: how many accounts its cases can stand for, its
/// activity per platform and day, and which of its cases reported each item of its evidence (the evidence graph
/// of cases and shared items).
public struct OperationDetail: Sendable, Encodable, Hashable {
    /// Reports first seen on one day on one platform.
    public struct DailyActivity: Sendable, Encodable, Hashable {
        public var platform: String
        public var day: String
        public var reports: Int
    }

    /// One evidence item and the operation's cases that reported it: indices into the operation's `cases`.
    public struct EvidenceLink: Sendable, Encodable, Hashable {
        public var kind: String
        public var value: String
        public var cases: [Int]
    }

    /// The operation itself.
    public var operation: MergedOperation
    /// The smallest account count its cases can stand for (each case reports its size as a log₂ bucket).
    public var accountsLow: Int
    /// The largest.
    public var accountsHigh: Int
    /// Reports by platform and first-seen day, sorted by platform then day.
    public var activity: [DailyActivity]
    /// For each item of `operation.evidence`, in the same order, the cases that reported it.
    public var evidenceLinks: [EvidenceLink]

    /// Works the detail out from the merged view the operation was found in, reading every report.
    public init(operation: MergedOperation, view: MergedView) {
        self.init(operation, view: view, lookup: CaseLookup(view), reportsOfCases: nil)
    }

    /// Works the detail out from the view of `search`, through its index when it has one (reading only the
    /// operation's own reports). The result equals ``init(operation:view:)``'s.
    public init(operation: MergedOperation, search: IndicatorSearch) {
        self.init(
            operation, view: search.view, lookup: search.index?.cases ?? CaseLookup(search.view),
            reportsOfCases: search.index.map { index in { index.reports(ofCases: $0) } })
    }

    private init(
        _ operation: MergedOperation, view: MergedView, lookup: CaseLookup, reportsOfCases: (([Int]) -> [Int])?
    ) {
        self.operation = operation
        var position: [Int: Int] = [:]  // view case index → index in operation.cases
        var low = 0
        var high = 0
        for (number, reference) in operation.cases.enumerated() {
            guard let index = lookup.index(of: reference) else { continue }
            position[index] = number
            let bucket = (try? PrevalenceBucket(index: view.cases[index].accountsBucket)) ?? PrevalenceBucket(count: 0)
            low += bucket.lowerBound
            high += bucket.upperBound
        }
        accountsLow = low
        accountsHigh = high

        // Keys without a string built per report: a large operation has hundreds of thousands of reports, and
        // joining kind and value (MinHash values are 1,024 digits) was most of the detail's cost.
        var evidenceOf: [ItemClusters.ValueKey: [(kind: String, position: Int)]] = [:]
        for (position, item) in operation.evidence.enumerated() {
            evidenceOf[ItemClusters.ValueKey(item.value), default: []].append((item.kind, position))
        }
        var reporters = [Set<Int>](repeating: [], count: operation.evidence.count)
        var daily: [DayKey: Int] = [:]
        func count(_ report: MergedView.ReportEntry) {
            guard let number = position[report.caseIndex] else { return }
            daily[DayKey(platform: operation.cases[number].originName, day: report.firstSeen), default: 0] += 1
            for wanted in evidenceOf[ItemClusters.ValueKey(report.value)] ?? []
            where wanted.kind == report.kind.rawValue {
                reporters[wanted.position].insert(number)
            }
        }
        if let reportsOfCases {
            for report in reportsOfCases(position.keys.sorted()) { count(view.reports[report]) }
        } else {
            for report in view.reports { count(report) }
        }
        activity = daily.map { key, count in DailyActivity(platform: key.platform, day: key.day, reports: count) }
            .sorted { ($0.platform, $0.day) < ($1.platform, $1.day) }
        evidenceLinks = operation.evidence.enumerated().map { position, item in
            EvidenceLink(kind: item.kind, value: item.value, cases: reporters[position].sorted())
        }
    }

    /// A platform and a first-seen day: one row of ``activity``.
    private struct DayKey: Hashable {
        let platform: String
        let day: String
    }
}
