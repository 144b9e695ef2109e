import Dispatch

/// Runs blocking work (a SQLite transaction, `concurrentPerform`) on a Dispatch thread and awaits its result,
/// so it never holds one of the few threads of Swift's cooperative pool, which serves requests and runs the
/// other peers' loops.
public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
