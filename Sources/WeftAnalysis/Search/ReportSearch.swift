import WeftHashing

/// The questions about reports that the analyst API asks of a merged view: which reported pictures and texts are
/// near copies of a query, and what an operation's reports add up to. ``IndicatorSearch`` answers them from a view
/// read whole from the store; ``IncrementalMerge`` answers them from the state it keeps up to date as bundles
/// arrive, so that a question after an arrival costs the update rather than a new reading of every report. For the
/// same view both give equal answers (`LiveSearchTests` compares them).
public protocol ReportSearch: Sendable {
    /// Reported PDQ hashes within `maximumDistance` of `hash`, nearest first, each with every case that reported it.
    func pdq(_ hash: PDQHash, maximumDistance: Int) -> [IndicatorSearch.Match]

    /// Reported keyed MinHash signatures with estimated Jaccard at least `minimumSimilarity` to `signature`, most
    /// similar first, each with every case that reported it.
    func minHash(_ signature: MinHashSignature, minimumSimilarity: Double) -> [IndicatorSearch.Match]

    /// The detail of `operation`, found in this view (its cases that the view no longer holds count for nothing).
    func detail(of operation: MergedOperation) -> OperationDetail
}

extension IndicatorSearch: ReportSearch {
    /// The detail of `operation`, through the index when built (``OperationDetail/init(operation:search:)``).
    public func detail(of operation: MergedOperation) -> OperationDetail {
        OperationDetail(operation: operation, search: self)
    }
}
