import Synchronization
import WeftAnalysis
import WeftStore

/// The merge of a node's merged view for the analyst API, kept up to date by an ``IncrementalMerge``: when the
/// view's version (``SavedMerge/version(of:policy:)``) changes, only what arrived since the last update is read
/// and merged, and the result is saved in the store. Requests between two arrivals share one result, and a
/// restarted server starts from the saved one (the incremental state is built at the first change after that).
final class MergeCache: Sendable {
    /// One merge result.
    struct Merge: Sendable {
        let version: String
        let operations: [MergedOperation]
        /// Each operation as the API encodes it, made once per result: at ten million reports the list is
        /// 16 MB of JSON, and encoding it for every request took most of half a second. An operation equal to
        /// one of `previous` keeps that one's encoding, so an update re-encodes only what it changed.
        let encoded: [[UInt8]]

        init(version: String, operations: [MergedOperation], previous: Merge? = nil) {
            self.version = version
            self.operations = operations
            var earlier: [String: (operation: MergedOperation, encoded: [UInt8])] = [:]
            for (operation, encoded) in zip(previous?.operations ?? [], previous?.encoded ?? []) {
                earlier[operation.id] = (operation, encoded)
            }
            encoded = operations.map { operation in
                if let kept = earlier[operation.id], kept.operation == operation { return kept.encoded }
                return (try? AnalystRoutes.encode(operation)) ?? []
            }
        }
    }

    private struct State: Sendable {
        var merge: Merge?
        var incremental: IncrementalMerge?
        var search: (version: String, search: IndicatorSearch)?
    }

    private let store: NodeStore
    private let state = Mutex(State())

    init(store: NodeStore) {
        self.store = store
    }

    /// The merge of the current view. Blocking (SQLite, and the update when the view changed): call it through
    /// `offloaded`. Updates are serialised; a request that arrives during one waits for its result.
    func current() throws -> Merge {
        let version = try SavedMerge.version(of: store)
        return try state.withLock { state in
            if let merge = state.merge, merge.version == version { return merge }
            if state.incremental == nil, let saved = try SavedMerge.saved(in: store, version: version) {
                state.merge = Merge(version: version, operations: saved)
                return state.merge!
            }
            var incremental = state.incremental ?? IncrementalMerge()
            state.incremental = nil
            try incremental.update(from: store)
            let merge = Merge(version: version, operations: incremental.operations, previous: state.merge)
            state.incremental = incremental
            state.merge = merge
            SavedMerge.save(merge.operations, version: version, in: store)
            return merge
        }
    }

    /// The merged view itself, indexed for the routes that read reports (operation details, provenance, PDQ
    /// search); read and indexed again when its version changed.
    func search() throws -> IndicatorSearch {
        let version = try store.mergedViewVersion()
        if let cached = state.withLock({ $0.search }), cached.version == version { return cached.search }
        let search = IndicatorSearch(indexing: try store.mergedView())
        state.withLock { $0.search = (version, search) }
        return search
    }
}
