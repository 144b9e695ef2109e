import Crypto
import Dispatch

/// A received bundle with its **stateless** verification steps already done: signature (when the signer's key
/// was known), payload parse and header, canonical form, record validation, and the report ids and indicator
/// keys the store will write. None of these depend on the store, so they can run on every core, ahead of the
/// single writer, which then only does the steps that need state (origin status, continuity, audience,
/// references) and the inserts.
///
/// The results are kept as values, not thrown, so the writer still reports the *first failing step in the
/// documented order*: a bundle with a bad signature and a bad record is rejected as `bad-signature`, as before.
public struct PreparedBundle: Sendable {
    /// The parsed envelope (steps 1–2).
    public let received: ReceivedBundle
    /// Step 4 under the signer's key, if that key was known when prepared (nil: the writer checks it).
    public let signature: Result<Void, BundleRejection>?
    /// The payload's header (step 5's input).
    public let header: Result<BundleHeader, BundleRejection>
    /// Step 6, when the payload parsed.
    public let canonical: Result<Void, BundleRejection>?
    /// Step 8's stateless part, when the payload parsed.
    public let records: Result<BundlePayload, BundleRejection>?
    /// For each report of a valid payload, in order: its id and its indicator's key.
    public let reportKeys: [ReportKeys]

    /// Runs the stateless steps of one envelope: at once for a payload ``EvidentPayload`` reads, else one by one.
    public init(received: ReceivedBundle, signerKey: OriginPublicKey?, limits: BundleLimits) {
        self.received = received
        signature = signerKey.map { key in
            Result { () throws(BundleRejection) in try received.checkSignature(with: key) }
        }
        if let evident = EvidentPayload.read(received, limits: limits) {
            header = .success(evident.header)
            canonical = .success(())
            records = .success(evident.payload)
            reportKeys = Self.keys(evident.payload.reports, ids: evident.reportIDs)
            return
        }
        let parsed: (header: BundleHeader, payload: JSONValue)
        do { parsed = try received.readHeader() } catch {
            header = .failure(error)
            canonical = nil
            records = nil
            reportKeys = []
            return
        }
        header = .success(parsed.header)
        canonical = Result { () throws(BundleRejection) in try received.checkCanonical(parsed.payload) }
        var reportIDs: [SHA256Digest] = []
        let records = Result { () throws(BundleRejection) in
            try received.readRecords(parsed.payload, header: parsed.header, limits: limits, reportIDs: &reportIDs)
        }
        self.records = records
        if case .success(let payload) = records {
            reportKeys = Self.keys(payload.reports, ids: reportIDs)
        } else {
            reportKeys = []
        }
    }

    private static func keys(_ reports: [Report], ids: [SHA256Digest]) -> [ReportKeys] {
        zip(reports, ids).map { report, id in ReportKeys(id: id, indicatorKey: report.indicator.keyDigest) }
    }

    /// Prepares many envelopes on all cores; result `i` belongs to envelope `i`. An envelope that fails steps 1–2
    /// yields its rejection.
    public static func prepare(
        _ envelopes: [[UInt8]], keys: [OriginID: OriginPublicKey], limits: BundleLimits
    ) -> [Result<PreparedBundle, BundleRejection>] {
        let results = UnsafeMutableBufferPointer<Result<PreparedBundle, BundleRejection>?>.allocate(
            capacity: envelopes.count)
        results.initialize(repeating: nil)
        // Deinitialized before it is freed: freeing alone would leak every prepared bundle the slots hold (their
        // payloads and reports), which grew a node's memory by about 4 KB per received report.
        defer {
            results.deinitialize()
            results.deallocate()
        }
        // Safe to share: every iteration writes exactly one distinct slot, and concurrentPerform returns only
        // after all iterations are done, before the buffer is read or freed.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: envelopes.count) { index in
            slots[index] = Result { () throws(BundleRejection) in
                let received = try ReceivedBundle(envelopeBytes: envelopes[index], limits: limits)
                return PreparedBundle(received: received, signerKey: keys[received.signer], limits: limits)
            }
        }
        return results.map { $0! }
    }
}

/// A report's id and its indicator's key, each in hex and as the leading 64 bits of the digest (big-endian), which
/// is what a store indexes them by.
public struct ReportKeys: Sendable {
    /// ``Report/id(origin:channel:)``.
    public let id: String
    /// The first eight bytes of the id's digest.
    public let idLeadingBits: UInt64
    /// ``Indicator/key``.
    public let indicatorKey: String
    /// The first eight bytes of the key's digest.
    public let indicatorLeadingBits: UInt64

    /// The keys of a report whose id and indicator key digests are known.
    public init(id: SHA256Digest, indicatorKey: SHA256Digest) {
        self.id = Hex.encode(id)
        idLeadingBits = id.leadingBits
        self.indicatorKey = Hex.encode(indicatorKey)
        indicatorLeadingBits = indicatorKey.leadingBits
    }
}
