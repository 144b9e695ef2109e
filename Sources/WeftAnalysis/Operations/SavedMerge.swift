import Foundation
import WeftStore

/// The merge of a node's merged view, saved in the store with the view's version: recomputed only when the view
/// (or the merge policy) changed since it was saved, so a restarted server or a second `weft ops list` answers at
/// once. A recomputation always runs on the whole view, so a saved result equals a full rebuild by construction.
public enum SavedMerge {
    /// The operations for the store's current merged view, and the view when it had to be read.
    public static func operations(
        in store: NodeStore, policy: MergePolicy = MergePolicy()
    ) throws -> (
        operations: [MergedOperation], view: MergedView?
    ) {
        let version = try store.mergedViewVersion() + " " + String(describing: policy)
        if let saved = try store.savedOperations(), saved.version == version {
            let decoder = JSONDecoder()
            if let operations = try? saved.bodies.map({ try decoder.decode(MergedOperation.self, from: Data($0.utf8)) })
            {
                return (operations, nil)
            }
        }
        let view = try store.mergedView()
        let operations = OperationFinder(policy: policy).operations(in: view)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Saving is a convenience: a node whose store is read-only to this user still answers.
        try? store.saveOperations(
            try operations.map { ($0.id, String(decoding: try encoder.encode($0), as: UTF8.self)) }, version: version)
        return (operations, view)
    }
}
