import Crypto
import Foundation
import WeftCore
import WeftHashing
import WeftStore

/// Finds operations in a node's merged view: builds the evidence graph, keeps the edges that are evidence
/// enough, and reports each connected group of two or more cases as an operation. The result depends only on
/// the view, never on the order bundles arrived in.
public struct OperationFinder: Sendable {
    public let policy: MergePolicy

    /// Creates a finder.
    public init(policy: MergePolicy = MergePolicy()) { self.policy = policy }

    /// The operations, largest first.
    public func operations(in view: MergedView) -> [MergedOperation] {
        let graph = EvidenceGraph(view: view, policy: policy)
        let strong = graph.edges.sorted(by: { $0.key < $1.key }).filter {
            EvidenceGraph.isStrong($0.value, policy: policy)
        }
        .map { WeakBridges.Link(first: $0.key.first, second: $0.key.second, weight: $0.value.weight) }
        let cuts = WeakBridges.cuts(
            strong, count: view.cases.count, ratio: policy.bridgeRatio, minimumSide: policy.minimumCommunitySize)
        var union = UnionFind(count: view.cases.count)
        for link in strong where !cuts.contains(link) { union.join(link.first, link.second) }
        var groups: [Int: [Int]] = [:]
        for index in view.cases.indices { groups[union.find(index), default: []].append(index) }
        var reportsByCase: [Int: [MergedView.ReportEntry]] = [:]
        for report in view.reports { reportsByCase[report.caseIndex, default: []].append(report) }
        // Coordination takes several accounts: a group of single-account cases is one voice cross-posting (a
        // news outlet, a person), however exclusive its content. A case no other case links to is its platform's
        // own finding, not something the federation revealed.
        let kept = groups.filter { _, group in
            group.count >= 2 && group.contains { view.cases[$0].accountsBucket >= policy.minimumCaseBucket }
        }
        // Which items and near pairs each kept group holds, in one pass over the items rather than one per group.
        var itemsByGroup: [Int: [Int]] = [:]
        for (number, item) in graph.items.items.enumerated() where graph.itemWeights[number] > 0 {
            var counts: [Int: Int] = [:]
            for caseIndex in item.cases.keys { counts[union.find(caseIndex), default: 0] += 1 }
            for (root, count) in counts where count >= 2 && kept[root] != nil {
                itemsByGroup[root, default: []].append(number)
            }
        }
        var nearByGroup: [Int: [Int]] = [:]
        for (number, (first, second)) in graph.items.nearPairs.enumerated() {
            let left = Set(graph.items.items[first].cases.keys.map { union.find($0) })
            let right = Set(graph.items.items[second].cases.keys.map { union.find($0) })
            for root in left.intersection(right) where kept[root] != nil {
                nearByGroup[root, default: []].append(number)
            }
        }
        return kept.map { root, group in
            describe(
                group.sorted(), items: itemsByGroup[root] ?? [], nearPairs: nearByGroup[root] ?? [], view: view,
                graph: graph, reportsByCase: reportsByCase)
        }
        .sorted { ($0.cases.count, $1.id) > ($1.cases.count, $0.id) }
    }

    private func describe(
        _ members: [Int], items: [Int], nearPairs: [Int], view: MergedView, graph: EvidenceGraph,
        reportsByCase: [Int: [MergedView.ReportEntry]]
    ) -> MergedOperation {
        let memberSet = Set(members)
        // Cases in a fixed order (origin, channel, case id), never the order they arrived in.
        let cases = members.map { index in
            let entry = view.cases[index]
            return MergedOperation.CaseReference(
                origin: entry.origin, originName: view.originNames[entry.origin] ?? entry.origin,
                channel: entry.channel, caseID: entry.caseID, status: entry.status)
        }.sorted { ($0.origin, $0.channel, $0.caseID) < ($1.origin, $1.channel, $1.caseID) }
        var evidence: [MergedOperation.Evidence] = []
        var families: Set<String> = []
        var total = 0.0
        for number in items {
            let item = graph.items.items[number]
            let inside = item.cases.keys.filter { memberSet.contains($0) }
            guard inside.count >= 2 else { continue }
            let platforms = Set(inside.map { view.cases[$0].origin }).count
            let weight = graph.itemWeights[number] * Double(inside.count - 1)
            total += weight
            if let family = MergePolicy.family(of: item.kind) { families.insert(family.rawValue) }
            evidence.append(
                .init(
                    kind: item.kind.rawValue, value: item.value,
                    reason: "reported in \(inside.count) cases on \(platforms) platform(s); "
                        + "exclusivity \(Self.rounded(EvidenceGraph.median(item.cases.values.map(\.exclusivity))))",
                    weight: Self.rounded(weight)))
        }
        for pair in nearPairs {
            let (first, second) = graph.items.nearPairs[pair]
            let a = graph.items.items[first]
            let b = graph.items.items[second]
            let left = a.cases.keys.filter { memberSet.contains($0) }
            let right = b.cases.keys.filter { memberSet.contains($0) }
            guard !left.isEmpty, !right.isEmpty, Set(left) != Set(right),
                let family = MergePolicy.family(of: a.kind)
            else { continue }
            families.insert(family.rawValue)
            let reach = Set(left + right)
            evidence.append(
                .init(
                    kind: a.kind.rawValue, value: a.value,
                    reason: "near copy of \(b.value.prefix(16))… in \(reach.count) cases on "
                        + "\(Set(reach.map { view.cases[$0].origin }).count) platform(s)",
                    weight: Self.rounded(MergePolicy.weight(of: a.kind) * 0.8)))
        }
        evidence.sort { ($0.weight, $1.kind, $1.value) > ($1.weight, $0.kind, $0.value) }

        var labels: [String: Int] = [:]
        for index in members { for label in view.cases[index].labels { labels[label, default: 0] += 1 } }
        var timeline: [String: (cases: Set<Int>, first: String, last: String)] = [:]
        var schedules: [[UInt8]] = []
        for index in members {
            let platform = view.originNames[view.cases[index].origin] ?? view.cases[index].origin
            for report in reportsByCase[index] ?? [] {
                var entry = timeline[platform] ?? ([], report.firstSeen, report.lastSeen)
                entry.cases.insert(index)
                entry.first = min(entry.first, report.firstSeen)
                entry.last = max(entry.last, report.lastSeen)
                timeline[platform] = entry
                if report.kind == .schedule, let fingerprint = ScheduleFingerprint(hex: report.value) {
                    schedules.append(fingerprint.levels)
                }
            }
        }
        let activity = timeline.keys.sorted().map { platform in
            MergedOperation.PlatformActivity(
                platform: platform, cases: timeline[platform]!.cases.count, firstSeen: timeline[platform]!.first,
                lastSeen: timeline[platform]!.last)
        }
        let schedule = Self.meanSchedule(schedules)
        // Named after its first case in that order, so the id survives updates that only add later cases.
        let key = "\(cases[0].origin)\u{0}\(cases[0].channel)\u{0}\(cases[0].caseID)"
        return MergedOperation(
            id: "op-" + Hex.sha256(Array(key.utf8)).prefix(12), platforms: Array(Set(cases.map(\.originName))).sorted(),
            cases: cases, evidence: Array(evidence.prefix(12)), families: families.sorted(),
            confidence: Self.rounded(1 - exp(-total / 20)),
            firstSeen: activity.map(\.firstSeen).min() ?? "", lastSeen: activity.map(\.lastSeen).max() ?? "",
            timeline: activity, labels: labels.keys.sorted(), labelProfile: labels, schedule: schedule?.hex,
            bestFitUTCOffset: schedule?.officeFit.utcOffset)
    }

    private static func meanSchedule(_ fingerprints: [[UInt8]]) -> ScheduleFingerprint? {
        guard !fingerprints.isEmpty else { return nil }
        var sums = [Double](repeating: 0, count: ScheduleFingerprint.bins)
        for levels in fingerprints { for (bin, level) in levels.enumerated() { sums[bin] += Double(level) } }
        let peak = sums.max() ?? 0
        guard peak > 0 else { return nil }
        let hex = sums.map { String(Int(($0 / peak * 15).rounded()), radix: 16) }.joined()
        return ScheduleFingerprint(hex: hex)
    }

    static func rounded(_ value: Double) -> Double { (value * 1_000).rounded() / 1_000 }
}
