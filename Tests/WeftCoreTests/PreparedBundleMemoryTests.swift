import Testing
import WeftCore

/// Preparing bundles on all cores must not keep them: a node prepares every bundle it receives, for as long as it
/// runs. (A buffer freed without being deinitialized once leaked every prepared bundle, with its envelope and
/// payload: about 4 KB per report of a simulated scenario, 22 GB on the way to a ten-million-report store.)
@Suite struct PreparedBundleMemoryTests {
    @Test func preparedBundlesAreFreedWithTheirResults() throws {
        let key = OriginKey()
        var envelopes = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(2_000)
        ).map(\.envelopeBytes)
        let keys = [key.originID: key.publicKey]
        let addresses = envelopes.map { $0.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) } }
        do {
            let prepared = PreparedBundle.prepare(envelopes, keys: keys, limits: .standard)
            #expect(prepared.allSatisfy { (try? $0.get()) != nil }, "every envelope prepares")
            let held = prepared.map { result in
                (try? result.get())?.received.envelopeBytes.withUnsafeBufferPointer {
                    $0.baseAddress.map(UnsafeRawPointer.init)
                }
            }
            // A prepared bundle holds its envelope's own bytes, so whether they are still held shows what was kept.
            #expect(held == addresses)
        }

        // With the results gone, nothing else may hold the envelopes: writing to one then needs no copy, and its
        // bytes stay where they were. A kept reference would make the write copy them elsewhere.
        for index in envelopes.indices {
            let address = envelopes[index].withUnsafeMutableBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
            #expect(address == addresses[index], "envelope \(index) is still held by something prepare() kept")
        }
    }
}
