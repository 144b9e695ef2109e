import WeftCore

/// Small builders for test bundles.
enum Fixtures {
    static func report(_ caseID: String, domain: String, confidence: Int = 80) throws -> Report {
        try Report(
            caseID: try CaseID(caseID), indicator: try Indicator(kind: .domain, value: domain),
            firstSeen: try Day("2023-05-01"), lastSeen: try Day("2023-06-01"), confidence: confidence,
            labels: [try Label("disarm:1.6:T0084.001")], postingAccounts: PrevalenceBucket(count: 40),
            flaggedAccounts: PrevalenceBucket(count: 30))
    }

    static func reports(_ count: Int, caseID: String = "c1", prefix: String = "d") throws -> [Report] {
        try (0..<count).map { try report(caseID, domain: "\(prefix)\($0).example.com") }
    }

    static func caseRecord(_ id: String, accounts: Int = 120) throws -> Case {
        Case(
            id: try CaseID(id), status: .confirmed, labels: [try Label("killchain:6.1.3")],
            accounts: PrevalenceBucket(count: accounts))
    }

    static func bundles(
        key: OriginKey, after head: FeedPosition? = nil, cases: [Case], reports: [Report],
        retractions: [Retraction] = [], limits: BundleLimits = .standard
    ) -> [SignedBundle] {
        BundleBuilder(key: key, channel: .federation, audience: .federation, limits: limits)
            .build(
                after: head, cases: cases, reports: reports, retractions: retractions, created: "2026-11-29T07:00:00Z")
    }
}
