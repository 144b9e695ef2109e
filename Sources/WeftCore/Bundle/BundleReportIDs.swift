import Crypto

/// The ids of one bundle's reports (``Report/idDigest(feedPrefix:)``), in order, each report allowed once.
///
/// Two reports are equal exactly when their canonical bytes are, so equal ids mean a repeated report; hashing
/// the 32-byte ids is cheaper than hashing whole reports.
struct BundleReportIDs {
    private let feedPrefix: [UInt8]
    private var seen: Set<SHA256Digest>
    /// The ids added so far, in order.
    private(set) var ids: [SHA256Digest] = []

    init(header: BundleHeader, capacity: Int) {
        feedPrefix = Report.idPrefix(origin: header.origin, channel: header.channel)
        seen = Set(minimumCapacity: capacity)
        ids.reserveCapacity(capacity)
    }

    /// Adds the report's id; false, adding nothing, if an equal report was added before.
    mutating func add(_ report: Report) -> Bool {
        let id = report.idDigest(feedPrefix: feedPrefix)
        guard seen.insert(id).inserted else { return false }
        ids.append(id)
        return true
    }
}
