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

        let wanted = Set(operation.evidence.map { "\($0.kind)\u{0}\($0.value)" })
        var reporters: [String: Set<Int>] = [:]
        var daily: [String: Int] = [:]
        func count(_ report: MergedView.ReportEntry) {
            guard let number = position[report.caseIndex] else { return }
            let platform = operation.cases[number].originName
            daily["\(platform)\u{0}\(report.firstSeen)", default: 0] += 1
            let key = "\(report.kind.rawValue)\u{0}\(report.value)"
            if wanted.contains(key) { reporters[key, default: []].insert(number) }
        }
        if let reportsOfCases {
            for report in reportsOfCases(position.keys.sorted()) { count(view.reports[report]) }
        } else {
            for report in view.reports { count(report) }
        }
        activity = daily.map { key, count in
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            return DailyActivity(platform: String(parts[0]), day: String(parts[1]), reports: count)
        }.sorted { ($0.platform, $0.day) < ($1.platform, $1.day) }
        evidenceLinks = operation.evidence.map { item in
            EvidenceLink(
                kind: item.kind, value: item.value, cases: (reporters["\(item.kind)\u{0}\(item.value)"] ?? []).sorted())
        }
    }
}
