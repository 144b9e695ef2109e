import WeftStore

/// Finds an operation's cases in the merged view they came from: (origin, channel, case id) → index into
/// `view.cases`, built once per view.
struct CaseLookup {
    private let indices: [String: Int]

    init(_ view: MergedView) {
        var indices: [String: Int] = [:]
        for (index, entry) in view.cases.enumerated() {
            indices[Self.key(entry.origin, entry.channel, entry.caseID)] = index
        }
        self.indices = indices
    }

    /// The view's index of `reference`, if the view holds that case.
    func index(of reference: MergedOperation.CaseReference) -> Int? {
        indices[Self.key(reference.origin, reference.channel, reference.caseID)]
    }

    private static func key(_ origin: String, _ channel: String, _ caseID: String) -> String {
        "\(origin)\u{0}\(channel)\u{0}\(caseID)"
    }
}
