import Synchronization
import WeftAnalysis
import WeftStore

/// The merge of a node's merged view, recomputed only when the view may have changed
/// (``NodeStore/mergedViewVersion()``): analysts' requests between two arrivals share one computation, and a
/// restarted server starts from the result saved in the store (``SavedMerge``).
final class MergeCache: Sendable {
    /// One computed merge.
    struct Merge: Sendable {
        let version: String
        let view: MergedView
        let operations: [MergedOperation]
    }

    private let store: NodeStore
    private let latest = Mutex<Merge?>(nil)

    init(store: NodeStore) {
        self.store = store
    }

    /// The merge of the current view. Blocking (SQLite, and the merge itself when the view changed): call it
    /// through `offloaded`.
    func current() throws -> Merge {
        let version = try store.mergedViewVersion()
        if let cached = latest.withLock({ $0 }), cached.version == version { return cached }
        let (operations, view) = try SavedMerge.operations(in: store)
        let merge = Merge(version: version, view: try view ?? store.mergedView(), operations: operations)
        latest.withLock { $0 = merge }
        return merge
    }
}
