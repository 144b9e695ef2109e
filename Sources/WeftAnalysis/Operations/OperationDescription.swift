import Crypto
import Foundation
import WeftCore
import WeftHashing
import WeftStore

/// Everything describing one operation needs, gathered alike by a full rebuild (``OperationFinder``) and by an
/// update (``IncrementalMerge``), so both describe an operation with the same code.
struct OperationFacts {
    /// The operation's cases: index (as the items use it) and entry.
    var members: [(index: Int, entry: MergedView.CaseEntry)]
    /// Linking items that at least one pair of members reports, with each item's weight as evidence.
    var items: [(item: ItemClusters.Item, weight: Double)]
    /// Near copies on members' sides.
    var nearPairs: [(ItemClusters.Item, ItemClusters.Item)]
    /// The members' activity, by case index.
    var activity: [Int: CaseActivity]
    /// Origin id → name.
    var originNames: [String: String]
}

extension MergedOperation {
    /// How many evidence items an operation lists.
    static let evidenceShown = 12

    /// Describes an operation. Nothing here depends on the order the facts were gathered in: the total weight is a
    /// fixed-point sum, and evidence is ranked by weight, kind and value with exact items before near copies, so
    /// ties always come out the same.
    init(_ facts: OperationFacts) {
        let entries = Dictionary(uniqueKeysWithValues: facts.members.map { ($0.index, $0.entry) })
        let membership = CaseMembership(facts.members.map(\.index))
        let cases = facts.members.map { _, entry in
            MergedOperation.CaseReference(
                origin: entry.origin, originName: facts.originNames[entry.origin] ?? entry.origin,
                channel: entry.channel, caseID: entry.caseID, status: entry.status)
        }.sorted { ($0.origin, $0.channel, $0.caseID) < ($1.origin, $1.channel, $1.caseID) }
        var ranking = EvidenceRanking(limit: Self.evidenceShown)
        var families: Set<String> = []
        var totalUnits: Int64 = 0
        for (number, (item, itemWeight)) in facts.items.enumerated() {
            let inside = item.cases.keys.reduce(0) { $0 + (membership.contains($1) ? 1 : 0) }
            guard inside >= 2 else { continue }
            let weight = itemWeight * Double(inside - 1)
            totalUnits += Int64((weight * EvidenceGraph.Edge.scale).rounded())
            if let family = MergePolicy.family(of: item.kind) { families.insert(family.rawValue) }
            ranking.offer(
                .init(weight: OperationFinder.rounded(weight), kind: item.kind, value: item.value, source: number))
        }
        for (number, (first, second)) in facts.nearPairs.enumerated() {
            // Named by the smaller value, whichever of the two was found first.
            let (a, b) = first.value <= second.value ? (first, second) : (second, first)
            let left = a.cases.keys.filter(membership.contains)
            let right = b.cases.keys.reduce(0) { $0 + (membership.contains($1) ? 1 : 0) }
            // Both sides inside, and not the very same members (those pairs the item itself links).
            guard !left.isEmpty, right > 0, left.count != right || left.contains(where: { b.cases[$0] == nil }),
                let family = MergePolicy.family(of: a.kind)
            else { continue }
            families.insert(family.rawValue)
            ranking.offer(
                .init(
                    weight: OperationFinder.rounded(MergePolicy.weight(of: a.kind) * 0.8), kind: a.kind, value: a.value,
                    nearValue: b.value, source: number))
        }
        // Reasons are written only for the evidence shown.
        let evidence = ranking.best.map { candidate -> MergedOperation.Evidence in
            if let nearValue = candidate.nearValue {
                let (first, second) = facts.nearPairs[candidate.source]
                let reach = Set((Array(first.cases.keys) + Array(second.cases.keys)).filter(membership.contains))
                return .init(
                    kind: candidate.kind.rawValue, value: candidate.value,
                    reason: "near copy of \(nearValue.prefix(16))… in \(reach.count) cases on "
                        + "\(Set(reach.compactMap { entries[$0]?.origin }).count) platform(s)",
                    weight: candidate.weight)
            }
            let item = facts.items[candidate.source].item
            let inside = item.cases.keys.filter(membership.contains)
            return .init(
                kind: candidate.kind.rawValue, value: candidate.value,
                reason: "reported in \(inside.count) cases on \(Set(inside.compactMap { entries[$0]?.origin }).count) "
                    + "platform(s); exclusivity \(OperationFinder.rounded(item.exclusivity))",
                weight: candidate.weight)
        }

        var labels: [String: Int] = [:]
        for (_, entry) in facts.members { for label in entry.labels { labels[label, default: 0] += 1 } }
        var timeline: [String: (cases: Int, first: String, last: String)] = [:]
        var schedules: [[UInt8]] = []
        for (index, entry) in facts.members {
            guard let activity = facts.activity[index] else { continue }
            let platform = facts.originNames[entry.origin] ?? entry.origin
            var line = timeline[platform] ?? (0, activity.firstSeen, activity.lastSeen)
            line.cases += 1
            line.first = min(line.first, activity.firstSeen)
            line.last = max(line.last, activity.lastSeen)
            timeline[platform] = line
            schedules += activity.schedules
        }
        let lines = timeline.keys.sorted().map { platform in
            MergedOperation.PlatformActivity(
                platform: platform, cases: timeline[platform]!.cases, firstSeen: timeline[platform]!.first,
                lastSeen: timeline[platform]!.last)
        }
        let schedule = Self.meanSchedule(schedules)
        // Named after its first case in that order, so the id survives updates that only add later cases.
        let key = "\(cases[0].origin)\u{0}\(cases[0].channel)\u{0}\(cases[0].caseID)"
        self.init(
            id: "op-" + Hex.sha256(Array(key.utf8)).prefix(12), platforms: Array(Set(cases.map(\.originName))).sorted(),
            cases: cases, evidence: evidence, families: families.sorted(),
            confidence: OperationFinder.rounded(1 - exp(-Double(totalUnits) / EvidenceGraph.Edge.scale / 20)),
            firstSeen: lines.map(\.firstSeen).min() ?? "", lastSeen: lines.map(\.lastSeen).max() ?? "",
            timeline: lines, labels: labels.keys.sorted(), labelProfile: labels, schedule: schedule?.hex,
            bestFitUTCOffset: schedule?.officeFit.utcOffset)
    }

    /// The mean of the members' schedule fingerprints (sums of small integers: exact in any order).
    private static func meanSchedule(_ fingerprints: [[UInt8]]) -> ScheduleFingerprint? {
        guard !fingerprints.isEmpty else { return nil }
        var sums = [Double](repeating: 0, count: ScheduleFingerprint.bins)
        for levels in fingerprints { for (bin, level) in levels.enumerated() { sums[bin] += Double(level) } }
        let peak = sums.max() ?? 0
        guard peak > 0 else { return nil }
        let hex = sums.map { String(Int(($0 / peak * 15).rounded()), radix: 16) }.joined()
        return ScheduleFingerprint(hex: hex)
    }
}

/// The best few evidence candidates, kept while the rest stream past: heaviest first, then by kind and value,
/// exact items before near copies, near copies by the other value. A total order, so any arrival order gives the
/// same list.
struct EvidenceRanking {
    struct Candidate {
        let weight: Double
        let kind: IndicatorKind
        let value: String
        var nearValue: String? = nil
        /// Index into the facts' items, or near pairs when ``nearValue`` is set.
        let source: Int

        func precedes(_ other: Candidate) -> Bool {
            if weight != other.weight { return weight > other.weight }
            if kind != other.kind { return kind < other.kind }
            if value != other.value { return value < other.value }
            return (nearValue ?? "") < (other.nearValue ?? "")
        }
    }

    let limit: Int
    private(set) var best: [Candidate] = []

    init(limit: Int) { self.limit = limit }

    mutating func offer(_ candidate: Candidate) {
        if best.count == limit {
            guard let last = best.last, candidate.precedes(last) else { return }
            best.removeLast()
        }
        let position = best.firstIndex { candidate.precedes($0) } ?? best.count
        best.insert(candidate, at: position)
    }
}
