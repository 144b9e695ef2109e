import WeftHashing

/// Scores operations against a scenario's ground truth. Definitions: docs/scenario.md, "Scoring".
public struct ScenarioScorer: Sendable {
    public let truth: GroundTruth

    /// Creates a scorer.
    public init(truth: GroundTruth) { self.truth = truth }

    /// Scores `answer`.
    public func score(_ answer: OperationsAnswer) -> ScenarioScore {
        // Universe: every flagged account, as "platform/account", with its true operation (nil when ordinary).
        var label: [String: String?] = [:]
        var casesByName: [String: [String]] = [:]
        var utc8: Set<String> = []
        for platform in truth.platforms {
            for (caseID, members) in platform.cases {
                casesByName["\(platform.name)/\(caseID)"] = members.map { "\(platform.name)/\($0)" }
            }
            for (account, role) in platform.roles {
                label["\(platform.name)/\(account)"] = role.hasPrefix("operation:") ? String(role.dropFirst(10)) : nil
            }
            for account in platform.flaggedUTC8Organic { utc8.insert("\(platform.name)/\(account)") }
        }

        // Predicted clusters: an account counts in the first operation that claims it.
        var assigned: [String: Int] = [:]
        var members: [[String]] = []
        var unknownCases = 0
        for (number, operation) in answer.operations.enumerated() {
            var cluster: [String] = []
            for reference in operation.cases {
                guard let accounts = casesByName["\(reference.originName)/\(reference.caseID)"] else {
                    unknownCases += 1
                    continue
                }
                for account in accounts where assigned[account] == nil {
                    assigned[account] = number
                    cluster.append(account)
                }
            }
            members.append(cluster)
        }

        let operations = truth.operations.map { outcome($0, members: members, answer: answer, label: label) }
        let clusters = answer.operations.indices.map { cluster($0, members: members[$0], answer: answer, label: label) }
        let reachable = operations.filter { $0.reachablePlatforms >= 2 }
        let single = operations.filter { $0.reachablePlatforms == 1 }
        let sized = clusters.filter { $0.accounts > 0 }
        let correct = sized.reduce(0.0) { $0 + $1.precision * Double($1.accounts) }
        let total = Double(sized.reduce(0) { $0 + $1.accounts })
        let weightedNumerator = sized.reduce(0.0) { $0 + Double($1.accounts) * $1.precision * $1.precision }

        // ARI over the universe, in a fixed order; singletons get labels of their own.
        let universe = label.keys.sorted()
        var trueIDs: [String: Int] = [:]
        var truePartition: [Int] = []
        var predicted: [Int] = []
        for (position, account) in universe.enumerated() {
            if let operation = label[account] ?? nil {
                truePartition.append(
                    trueIDs[operation]
                        ?? {
                            trueIDs[operation] = trueIDs.count; return trueIDs.count - 1
                        }())
            } else {
                truePartition.append(1_000_000 + position)
            }
            predicted.append(assigned[account] ?? (1_000_000 + position))
        }
        let organicUTC8 = truth.platforms.reduce(0) { $0 + $1.organicUTC8 }
        let falsePositives = utc8.filter { assigned[$0] != nil }.count

        return ScenarioScore(
            platformRecall: mean(reachable.map(\.platformRecall)), accountRecall: mean(reachable.map(\.accountRecall)),
            clusterPrecision: total > 0 ? correct / total : 1,
            weightedPrecision: correct > 0 ? weightedNumerator / correct : 1,
            adjustedRandIndex: AdjustedRandIndex.of(truePartition, predicted),
            organicContentClusters: clusters.filter(\.builtOnOrganicContent).count,
            organicUTC8FalsePositiveRate: organicUTC8 > 0 ? Double(falsePositives) / Double(organicUTC8) : 0,
            organicUTC8FalsePositives: falsePositives,
            unreachableOperations: operations.filter { $0.flaggedAccounts == 0 }.map(\.id),
            singlePlatformOperations: single.map(\.id),
            singlePlatformOperationsFound: single.filter { $0.matchedBy != nil }.map(\.id), unknownCases: unknownCases,
            strata: Self.strata.compactMap { name in
                let group = reachable.filter { $0.stratum == name }
                guard !group.isEmpty else { return nil }
                return .init(
                    name: name, operations: group.count, platformRecall: mean(group.map(\.platformRecall)),
                    accountRecall: mean(group.map(\.accountRecall)))
            },
            operations: operations, clusters: clusters)
    }

    static let strata = ["2-3", "4-9", "10-29", "30+"]

    static func stratum(platforms: Int) -> String {
        platforms <= 3 ? "2-3" : platforms <= 9 ? "4-9" : platforms <= 29 ? "10-29" : "30+"
    }

    private func outcome(
        _ operation: OperationTruth, members: [[String]], answer: OperationsAnswer, label: [String: String?]
    ) -> ScenarioScore.OperationOutcome {
        let flagged = Set(label.compactMap { $0.value == operation.id ? $0.key : nil })
        let reachablePlatforms = Set(flagged.map(Self.platform))
        var best: (index: Int, overlap: Set<String>)?
        for (index, cluster) in members.enumerated() {
            let overlap = flagged.intersection(cluster)
            if !overlap.isEmpty && overlap.count > (best?.overlap.count ?? 0) { best = (index, overlap) }
        }
        let found = best?.overlap ?? []
        return .init(
            id: operation.id, platforms: operation.platforms.count, reachablePlatforms: reachablePlatforms.count,
            accounts: operation.accounts, flaggedAccounts: flagged.count,
            matchedBy: best.map { answer.operations[$0.index].id },
            platformRecall: reachablePlatforms.isEmpty
                ? 0 : Double(Set(found.map(Self.platform)).count) / Double(reachablePlatforms.count),
            accountRecall: flagged.isEmpty ? 0 : Double(found.count) / Double(flagged.count),
            stratum: Self.stratum(platforms: operation.platforms.count))
    }

    private func cluster(
        _ index: Int, members: [String], answer: OperationsAnswer, label: [String: String?]
    ) -> ScenarioScore.ClusterOutcome {
        var counts: [String: Int] = [:]
        for account in members { if let operation = label[account] ?? nil { counts[operation, default: 0] += 1 } }
        let top = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }
        let organic = members.count - counts.values.reduce(0, +)
        let majority = top.flatMap { $0.value * 2 > members.count || $0.value >= organic ? $0.key : nil }
        // Ordinary accounts are singletons of their own, so a cluster of them has one account "right".
        let precision = members.isEmpty ? 0 : Double(max(top?.value ?? 0, 1)) / Double(members.count)
        let evidence = answer.operations[index].evidence ?? []
        let organicEvidence =
            evidence.isEmpty ? nil : Double(evidence.filter(isOrganicContent).count) / Double(evidence.count)
        return .init(
            id: answer.operations[index].id, accounts: members.count, majority: majority, precision: precision,
            hardNegativeEvidence: organicEvidence,
            builtOnOrganicContent: (!members.isEmpty && organic * 2 > members.count) || (organicEvidence ?? 0) > 0.5)
    }

    /// Whether an evidence item is one of the scenario's organic items (PDQ within 31 of a meme counts).
    func isOrganicContent(_ item: OperationsAnswer.Evidence) -> Bool {
        let negatives = truth.hardNegatives
        switch item.kind {
        case "sha256", "md5": return negatives.mediaDigests.contains(item.value)
        case "text.sha256": return negatives.textSHA256.contains(item.value)
        case "url": return negatives.urls.contains(item.value)
        case "domain": return negatives.domains.contains(item.value)
        case "hashtag":
            return negatives.hashtags.contains { $0.dropFirst().lowercased() == item.value.lowercased() }
        case "pdq":
            guard let hash = PDQHash(hex: item.value) else { return false }
            return negatives.pdq.contains { PDQHash(hex: $0).map { $0.distance(to: hash) <= 31 } ?? false }
        default: return false
        }
    }

    private static func platform(_ account: String) -> String { String(account.prefix { $0 != "/" }) }

    private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}
