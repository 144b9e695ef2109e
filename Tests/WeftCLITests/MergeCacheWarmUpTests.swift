import Foundation
import Hummingbird
import Logging
import Testing
import WeftAnalysis
import WeftCore
import WeftStore

@testable import WeftServer

/// The analyst merge's warm-up, held part way by its test hook on a node that synced a real (tiny) federation:
/// while it builds, `/operations` is answered from the saved merge and questions that read reports are refused
/// with 503 and a `Retry-After`; once built, the merge answers them.
@Suite struct MergeCacheWarmUpTests {
    @Test func duringTheWarmUpTheSavedMergeAnswersAndOtherQuestionsAreRefused() throws {
        let home = try AnalystNode.home.get()
        let listed = try WeftProcess.run(["ops", "list", "--home", home, "--json"])  // saves the merge
        try #require(listed.status == 0, "\(listed.stderr)")
        let config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: home + "/config.json")))
                as? [String: Any])
        let node = try OriginID(hex: try #require(config["origin"] as? String))
        let store = try NodeStore(path: home + "/weft.sqlite", node: node)
        let cache = MergeCache(store: store, warmUpPatience: .zero)
        let (held, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        cache.warmUp(logger: Logger(label: "test")) {
            held.signal()
            release.wait()
        }
        held.wait()

        let saved = try cache.current()
        let operation = try #require(saved.operations.first)
        do {
            _ = try cache.answer { _, search in search.detail(of: operation) }
            Issue.record("a question that reads reports was answered during the warm-up")
        } catch let error as HTTPError {
            #expect(error.status == .serviceUnavailable)
            #expect(error.headers[.retryAfter] == "\(MergeCache.retryAfterSeconds)")
        }
        release.signal()

        // The build takes a moment on this node; the wait is bounded, not timed.
        var detail: OperationDetail?
        let deadline = Date().addingTimeInterval(120)
        while detail == nil && Date() < deadline {
            detail = try? cache.answer { _, search in search.detail(of: operation) }
            if detail == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(detail == OperationDetail(operation: operation, view: try store.mergedView()))
        #expect(try cache.current().operations == saved.operations)
    }
}
