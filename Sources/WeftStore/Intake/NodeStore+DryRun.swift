import GRDB
import WeftCore

extension NodeStore {
    /// Runs envelopes through the full pipeline, in order, as ``receive(envelope:source:)`` would — each seeing
    /// the effect of the ones before it — then rolls everything back. Nothing is written, not even to the
    /// audit log. This answers "what would applying this file do?" with the one real implementation of the
    /// checks.
    public func dryRun(envelopes: [[UInt8]]) throws -> [Result<IntakeOutcome, BundleRejection>] {
        var results: [Result<IntakeOutcome, BundleRejection>] = []
        try database.writeWithoutTransaction { db in
            try db.inTransaction {
                for bytes in envelopes {
                    do {
                        let received = try ReceivedBundle(envelopeBytes: bytes, limits: limits)
                        var step: IntakeStep?
                        try db.inSavepoint {
                            step = try intake(db, received, source: "dry-run")
                            return .commit
                        }
                        switch step! {
                        case .outcome(let outcome), .applied(let outcome, _, _): results.append(.success(outcome))
                        case .equivocation(let rejection): results.append(.failure(rejection))
                        }
                    } catch let rejection as BundleRejection {
                        results.append(.failure(rejection))
                    }
                }
                return .rollback
            }
        }
        return results
    }
}
