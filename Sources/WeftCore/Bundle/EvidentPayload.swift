import Crypto

/// Steps 5, 6 and the stateless part of 8 at once, for the payloads nearly every bundle has: bytes in the evident
/// canonical shape (``CanonicalShape``) whose reports ``CanonicalReportReader`` reads straight from the bytes.
///
/// Parsing every report into a ``JSONValue`` and reading it back out of dictionaries was over half of the
/// stateless intake work (docs/benchmarks.md). Here only the rest of the payload (header, cases, retractions) is
/// parsed, with the reports array cut out, and read the general way. Whatever this does not read returns nil,
/// and ``PreparedBundle`` then takes the general steps, which are the definition and name any error: so a result
/// from here is always the one the general steps give, and bad input always gets the general steps' rejection.
enum EvidentPayload {
    /// The header, records and report ids of `received`'s payload, or nil for "not read here".
    static func read(
        _ received: ReceivedBundle, limits: BundleLimits
    ) -> (header: BundleHeader, payload: BundlePayload, reportIDs: [SHA256Digest])? {
        let bytes = received.envelope.payload
        guard let located = CanonicalShape.evidentMember("reports", in: bytes), let reportsRange = located else {
            return nil
        }
        var rest: [UInt8] = []
        rest.reserveCapacity(bytes.count - reportsRange.count + 2)
        rest.append(contentsOf: bytes[..<reportsRange.lowerBound])
        rest.append(contentsOf: "[]".utf8)
        rest.append(contentsOf: bytes[reportsRange.upperBound...])
        guard let value = try? JSONParser.parse(rest),
            let header = try? BundleHeader(payload: value), header.origin == received.signer,
            let others = try? BundlePayload(json: value, header: header, limits: limits),
            let reports = CanonicalReportReader.reports(
                in: bytes, range: reportsRange, maximum: limits.maximumReports)
        else { return nil }
        var ids = BundleReportIDs(header: header, capacity: reports.count)
        for report in reports where !ids.add(report) { return nil }
        let payload = BundlePayload(
            header: header, cases: others.cases, reports: reports, retractions: others.retractions)
        return (header, payload, ids.ids)
    }
}
