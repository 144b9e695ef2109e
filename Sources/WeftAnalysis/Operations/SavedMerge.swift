import Foundation
import WeftStore

/// The merge of a node's merged view, saved in the store with the view's version: recomputed only when the view
/// (or the merge policy) changed since it was saved, so a restarted server or a second `weft ops list` answers at
/// once. A one-shot recomputation (`weft ops`, `weft match`) runs on the whole view; `weft serve` keeps an
/// ``IncrementalMerge`` instead and saves its result the same way. Either way a saved result equals a full
/// rebuild of the view it is saved for.
public enum SavedMerge {
    /// The operations for the store's current merged view, and the view when it had to be read.
    public static func operations(
        in store: NodeStore, policy: MergePolicy = MergePolicy()
    ) throws -> (
        operations: [MergedOperation], view: MergedView?
    ) {
        let version = try version(of: store, policy: policy)
        if let saved = try saved(in: store, version: version) { return (saved, nil) }
        let view = try store.mergedView()
        let operations = OperationFinder(policy: policy).operations(in: view)
        save(operations, version: version, in: store)
        return (operations, view)
    }

    /// The version a saved result must carry to be reused: the merged view's and the policy's.
    public static func version(of store: NodeStore, policy: MergePolicy = MergePolicy()) throws -> String {
        try store.mergedViewVersion() + " " + String(describing: policy)
    }

    /// The saved result, if it was saved for `version`.
    public static func saved(in store: NodeStore, version: String) throws -> [MergedOperation]? {
        guard let saved = try store.savedOperations(), saved.version == version else { return nil }
        let decoder = JSONDecoder()
        return try? saved.bodies.map { try decoder.decode(MergedOperation.self, from: Data($0.utf8)) }
    }

    /// Saves a result for `version`. Saving is a convenience: a node whose store is read-only to this user still
    /// answers, so failures are ignored.
    public static func save(_ operations: [MergedOperation], version: String, in store: NodeStore) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let bodies = try? operations.map({ ($0.id, String(decoding: try encoder.encode($0), as: UTF8.self)) })
        else { return }
        try? store.saveOperations(bodies, version: version)
    }
}
