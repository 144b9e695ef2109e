import WeftCore

/// What became of a received bundle that was not rejected.
public enum IntakeOutcome: Sendable, Hashable {
    /// Verified and applied; `drained` more bundles that were waiting on it were applied after it.
    case applied(BundleID, seq: Int, drained: Int)
    /// Already held: nothing changed.
    case duplicate(BundleID)
    /// Verified but ahead of the feed (a gap before it): kept aside until the missing bundles arrive.
    case heldBack(BundleID, seq: Int, waitingFor: Int)

    /// The bundle's id.
    public var bundleID: BundleID {
        switch self {
        case .applied(let id, _, _), .duplicate(let id), .heldBack(let id, _, _): id
        }
    }
}

/// The result of one pass of the pipeline inside a transaction. Equivocation is a result, not a thrown error,
/// because its proof and the quarantine must be committed.
enum IntakeStep {
    /// Not applied (a duplicate, or held back).
    case outcome(IntakeOutcome)
    /// Applied to the feed of `origin` and `channel`, so held bundles that follow can be looked up without
    /// parsing the payload again.
    case applied(IntakeOutcome, origin: OriginID, channel: Channel)
    case equivocation(BundleRejection)
}
