import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import WeftAnalysis
import WeftStore

/// The merge of a node's merged view for the analyst API, kept up to date by an ``IncrementalMerge``: when the
/// view's version (``SavedMerge/version(of:policy:)``) changes, only what arrived since the last update is read
/// and merged, and the result is saved in the store. Requests between two arrivals share one result, and a
/// restarted server starts from the saved one while it builds the incremental state in the background
/// (``warmUp(logger:)``; without it, the state is built at the first change).
/// The same state answers the questions that read reports (``answer(preparingTexts:_:)``) and which indicators
/// are reported together (``withIncrementalMerge(preparingTexts:_:)``).
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
        /// The whole view read and indexed, only while no incremental merge is held.
        var search: (version: String, search: IndicatorSearch)?
    }

    private let store: NodeStore
    private let state = Mutex(State())
    /// The newest merge, readable while an update or the warm-up holds `state`: a request whose view has not
    /// changed never waits for one.
    private let latest = Mutex<Merge?>(nil)
    /// The newest merge not yet saved, and the queue that saves it (``saveLater(_:)``).
    private let unsaved = Mutex<Merge?>(nil)
    private let saving = DispatchQueue(label: "weft.analyst.save-merge", qos: .utility)
    /// Whether the warm-up is building the merge (``refuseDuringWarmUp()``).
    private let warming = Atomic<Bool>(false)

    /// How long a request waits for the warm-up before it is refused (``refuseDuringWarmUp()``).
    let warmUpPatience: Duration

    init(store: NodeStore, warmUpPatience: Duration = .seconds(5)) {
        self.store = store
        self.warmUpPatience = warmUpPatience
    }

    /// The merge of the current view. Blocking (SQLite, and the update when the view changed): call it through
    /// `offloaded`. Updates are serialised; a request that arrives during one waits for its result. During the
    /// warm-up, a view that changed since the saved merge is refused with HTTP 503 (``refuseDuringWarmUp()``).
    func current() throws -> Merge {
        let version = try SavedMerge.version(of: store)
        if let merge = latest.withLock({ $0 }), merge.version == version { return merge }
        try refuseDuringWarmUp()
        return try state.withLock { state in try update(&state, to: version) }
    }

    /// Builds the incremental merge from the whole view now, with its exact text tables, on a background thread,
    /// so that neither the first change to the view nor the first question that reads reports waits for it (at ten
    /// million reports it takes five to seven minutes and 16 GB). Meanwhile `/operations` is answered from the
    /// saved merge while the view is unchanged, and other requests are refused with HTTP 503 and a `Retry-After`
    /// (after a few seconds' patience) rather than held for minutes. The build only reads the store, so stopping
    /// the server during it loses nothing.
    /// - Parameter beforeBuilding: runs once the warm-up has begun refusing, before the build (tests hold it there).
    func warmUp(logger: Logger, beforeBuilding: @escaping @Sendable () -> Void = {}) {
        DispatchQueue.global(qos: .utility).async { [self] in
            let clock = ContinuousClock()
            let started = clock.now
            defer { warming.store(false, ordering: .releasing) }
            do {
                // The saved merge first (a moment's work), so that requests about an unchanged view are answered
                // from it during the build; without one for this view, they are refused until the build ends.
                let version = try SavedMerge.version(of: store)
                if let saved = try SavedMerge.saved(in: store, version: version) {
                    state.withLock { state in
                        guard state.merge == nil else { return }
                        state.merge = Merge(version: version, operations: saved)
                        latest.withLock { $0 = state.merge }
                    }
                }
                warming.store(true, ordering: .releasing)
                beforeBuilding()
                let built = try state.withLock { state in
                    guard state.incremental == nil else { return false }
                    _ = try update(&state, to: version, building: true)
                    state.incremental!.prepareTextSearch()
                    return true
                }
                if built {
                    logger.info(
                        "analyst merge ready",
                        metadata: ["seconds": "\((clock.now - started).components.seconds)", "version": "\(version)"])
                }
            } catch {
                logger.error("analyst merge warm-up failed; it is built at the first change instead: \(error)")
            }
        }
    }

    /// Throws HTTP 503 with `Retry-After` when the warm-up is still building the merge after ``warmUpPatience``:
    /// answering would mean waiting for it (minutes at ten million reports), or reading the whole view beside it,
    /// which would double the memory. A small node's warm-up ends within the patience, so its clients never see it.
    private func refuseDuringWarmUp() throws {
        let clock = ContinuousClock()
        let deadline = clock.now + warmUpPatience
        while warming.load(ordering: .acquiring) && clock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard warming.load(ordering: .acquiring) else { return }
        var headers = HTTPFields()
        headers[.retryAfter] = "\(Self.retryAfterSeconds)"
        throw HTTPError(
            .serviceUnavailable, headers: headers,
            message: "the analyst merge is being built after a start (analyst_warm_up); ask again shortly")
    }

    /// The `Retry-After` of a refusal during the warm-up.
    static let retryAfterSeconds = 30

    /// Answers a question that reads reports (an operation's detail, near copies) about the current view, with its
    /// merge. Blocking, like ``current()``.
    ///
    /// Once this cache holds an incremental merge (from the warm-up, or from the first change to the view), the
    /// merge answers from its own state (``withIncrementalMerge(preparingTexts:_:)``) and nothing is read again; a
    /// question asked during the warm-up is refused with HTTP 503. Without one (warm-up off, and the saved merge
    /// current) the whole view is read from the store and indexed once, as building the incremental state would
    /// cost more.
    func answer<Answer: Sendable>(
        preparingTexts: Bool = false, _ question: (Merge, any ReportSearch) throws -> Answer
    ) throws -> Answer {
        if let live = try withIncrementalMerge(preparingTexts: preparingTexts, question) { return live }
        return try question(try current(), try wholeViewSearch())
    }

    /// Answers `question` from the incremental merge of the current view, brought up to date first, or returns nil
    /// when this cache holds none yet. `preparingTexts` brings the merge's exact text tables up to date too, for a
    /// MinHash question.
    func withIncrementalMerge<Answer: Sendable>(
        preparingTexts: Bool = false, _ question: (Merge, IncrementalMerge) throws -> Answer
    ) throws -> Answer? {
        let version = try SavedMerge.version(of: store)
        try refuseDuringWarmUp()
        return try state.withLock { state in
            let merge = try update(&state, to: version)
            guard state.incremental != nil else { return nil }
            if preparingTexts { state.incremental!.prepareTextSearch() }
            // The question runs under the lock: the merge's state is only read, and no update can change it
            // meanwhile (a copy held past the lock would make the next update copy every table it touches).
            return try question(merge, state.incremental!)
        }
    }

    /// Brings `state` to the view `version`: the saved merge when it is current and no incremental state is
    /// held, else the incremental merge updated with what arrived since (built from the whole view the first time,
    /// or now when `building`).
    private func update(_ state: inout State, to version: String, building: Bool = false) throws -> Merge {
        if !building, let merge = state.merge, merge.version == version { return merge }
        if !building, state.incremental == nil, let saved = try SavedMerge.saved(in: store, version: version) {
            state.merge = Merge(version: version, operations: saved)
            latest.withLock { $0 = state.merge }
            return state.merge!
        }
        var incremental = state.incremental ?? IncrementalMerge()
        state.incremental = nil
        // The merge answers questions from now on; the index of a whole view read earlier is not needed.
        state.search = nil
        try incremental.update(from: store)
        let merge = Merge(version: version, operations: incremental.operations, previous: state.merge)
        let saved = state.merge?.version == version
        state.incremental = incremental
        state.merge = merge
        latest.withLock { $0 = merge }
        if !saved { saveLater(merge) }
        return merge
    }

    /// Saves `merge` in the store on a background queue, off the request that computed it: encoding and writing
    /// every operation took most of the first answer after an arrival at ten million reports (the saved result
    /// only spares a restarted server the rebuild). Merges that queue up while one is written are skipped for the
    /// newest; a saved result is used only for the view version it was computed from, so a late write is never
    /// taken for a newer view.
    private func saveLater(_ merge: Merge) {
        unsaved.withLock { $0 = merge }
        saving.async { [self] in
            guard let merge = unsaved.withLock({ $0.take() }) else { return }
            SavedMerge.save(merge.operations, version: merge.version, in: store)
        }
    }

    /// The merged view read whole and indexed, for questions asked while this cache holds no incremental merge
    /// (``withIncrementalMerge(preparingTexts:_:)`` answered nil); read and indexed again when its version changed.
    func wholeViewSearch() throws -> IndicatorSearch {
        let version = try store.mergedViewVersion()
        if let cached = state.withLock({ $0.search }), cached.version == version { return cached.search }
        let search = IndicatorSearch(indexing: try store.mergedView())
        state.withLock { $0.search = (version, search) }
        return search
    }
}
