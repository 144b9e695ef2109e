import Crypto

/// The signed content of a bundle: `{v, origin, channel, seq, prev, created, audience, cases, reports,
/// retractions}`, serialised as RFC 8785 canonical JSON.
public struct BundlePayload: Sendable, Hashable {
    /// The payload format version this code writes and reads.
    public static let version = 1
    /// The DSSE payload type of Weft bundles.
    public static let payloadType = "application/vnd.weft.bundle.v1+json"

    /// The feed's header: who, which feed, where in it, and who may read it.
    public var header: BundleHeader
    /// Cases declared or updated by this bundle.
    public var cases: [Case]
    /// Reports, each about a case declared in this feed.
    public var reports: [Report]
    /// Withdrawals of earlier reports or cases of this feed.
    public var retractions: [Retraction]

    /// Creates a payload.
    public init(header: BundleHeader, cases: [Case], reports: [Report], retractions: [Retraction]) {
        self.header = header
        self.cases = cases
        self.reports = reports
        self.retractions = retractions
    }

    /// The wire form.
    public var json: JSONValue {
        var members = header.jsonMembers
        members["cases"] = .array(cases.map(\.json))
        members["reports"] = .array(reports.map(\.json))
        members["retractions"] = .array(retractions.map(\.json))
        return .object(members)
    }

    /// The canonical bytes that get signed.
    public var canonicalBytes: [UInt8] {
        // All numbers in a payload are validated small integers, so encoding cannot fail.
        try! CanonicalJSON.encode(json)
    }

    /// Reads the records of a payload whose header has already been read, checking limits and that cases and
    /// reports are not repeated within the bundle.
    public init(json: JSONValue, header: BundleHeader, limits: BundleLimits) throws(RecordError) {
        var reportIDs: [SHA256Digest] = []
        try self.init(json: json, header: header, limits: limits, reportIDs: &reportIDs)
    }

    /// ``init(json:header:limits:)`` that also gives each report's id (``Report/idDigest(feedPrefix:)``), in
    /// order: the check for repeated reports compares ids, so they are computed here anyway.
    public init(
        json: JSONValue, header: BundleHeader, limits: BundleLimits, reportIDs: inout [SHA256Digest]
    ) throws(RecordError) {
        guard case .object(let members) = json else {
            throw RecordError(record: "payload", field: nil, reason: "expected an object")
        }
        let caseValues = members["cases"]?.arrayValue ?? []
        let reportValues = members["reports"]?.arrayValue ?? []
        let retractionValues = members["retractions"]?.arrayValue ?? []
        for (field, count, limit) in [
            ("cases", caseValues.count, limits.maximumCases),
            ("reports", reportValues.count, limits.maximumReports),
            ("retractions", retractionValues.count, limits.maximumRetractions),
        ]
        where count > limit {
            throw RecordError(record: "payload", field: field, reason: "\(count) entries exceed the limit of \(limit)")
        }
        var cases: [Case] = []
        var caseIDs: Set<CaseID> = []
        for (index, value) in caseValues.enumerated() {
            let record = try Case(json: value, record: "cases[\(index)]")
            guard caseIDs.insert(record.id).inserted else {
                throw RecordError(record: "cases[\(index)]", field: "id", reason: "case \(record.id) is declared twice")
            }
            cases.append(record)
        }
        var reports: [Report] = []
        reports.reserveCapacity(reportValues.count)
        var ids = BundleReportIDs(header: header, capacity: reportValues.count)
        for (index, value) in reportValues.enumerated() {
            let report = try Report(json: value, record: "reports[\(index)]")
            guard ids.add(report) else {
                throw RecordError(
                    record: "reports[\(index)]", field: nil, reason: "repeats an earlier report of this bundle")
            }
            reports.append(report)
        }
        reportIDs = ids.ids
        var retractions: [Retraction] = []
        for (index, value) in retractionValues.enumerated() {
            retractions.append(try Retraction(json: value, record: "retractions[\(index)]"))
        }
        self.init(header: header, cases: cases, reports: reports, retractions: retractions)
    }
}

/// The part of a payload that places it in a feed. Read before the records, because the verification order
/// checks continuity before record validity.
public struct BundleHeader: Sendable, Hashable {
    /// The publishing origin.
    public var origin: OriginID
    /// The channel (feed) within the origin's log.
    public var channel: Channel
    /// The position in the feed, from 1, increasing by exactly 1.
    public var seq: Int
    /// The id of the bundle at `seq − 1`; `nil` exactly when `seq` is 1.
    public var prev: BundleID?
    /// When the bundle was made, `YYYY-MM-DDTHH:MM:SSZ`.
    public var created: String
    /// Who may receive it.
    public var audience: Audience

    /// Creates a header.
    public init(origin: OriginID, channel: Channel, seq: Int, prev: BundleID?, created: String, audience: Audience) {
        self.origin = origin
        self.channel = channel
        self.seq = seq
        self.prev = prev
        self.created = created
        self.audience = audience
    }

    /// The largest sequence number (the largest integer JSON carries exactly).
    public static let maximumSeq = 9_007_199_254_740_991

    /// Reads the header members of a payload object.
    public init(payload json: JSONValue) throws(RecordError) {
        guard case .object(var members) = json else {
            throw RecordError(record: "payload", field: nil, reason: "expected an object, found \(json.typeName)")
        }
        for field in ["cases", "reports", "retractions"] {
            guard let value = members.removeValue(forKey: field) else {
                throw RecordError(record: "payload", field: field, reason: "is required")
            }
            guard case .array = value else {
                throw RecordError(record: "payload", field: field, reason: "expected an array, found \(value.typeName)")
            }
        }
        var reader = try FieldReader(.object(members), record: "payload")
        let version = try reader.integer("v", in: 0...Int(Int32.max))
        guard version == BundlePayload.version else {
            throw reader.error("v", "version \(version) is not supported (this node reads \(BundlePayload.version))")
        }
        origin = try reader.parsed("origin") { (text) throws(RecordError) in try OriginID(hex: text) }
        channel = try reader.parsed("channel", Channel.init)
        seq = try reader.integer("seq", in: 1...Self.maximumSeq)
        prev = try reader.optionalParsed("prev") { (text) throws(RecordError) in try BundleID(hex: text) }
        guard (seq == 1) == (prev == nil) else {
            throw reader.error("prev", seq == 1 ? "must be null at seq 1" : "is required after seq 1")
        }
        created = try reader.parsed("created", Self.validTimestamp)
        audience = try Audience(json: try reader.required("audience"), channel: channel, record: "payload audience")
        try reader.finish()
    }

    var jsonMembers: [String: JSONValue] {
        [
            "v": .integer(BundlePayload.version),
            "origin": .string(origin.hex),
            "channel": .string(channel.name),
            "seq": .integer(seq),
            "prev": prev.map { .string($0.hex) } ?? .null,
            "created": .string(created),
            "audience": audience.json,
        ]
    }

    static func validTimestamp(_ text: String) throws(RecordError) -> String {
        let parts = text.split(separator: "T")
        guard text.utf8.count == 20, text.hasSuffix("Z"), parts.count == 2, (try? Day(String(parts[0]))) != nil
        else { throw RecordError(record: "", field: nil, reason: "'\(text)' is not YYYY-MM-DDTHH:MM:SSZ") }
        let clock = parts[1].dropLast().split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0...23).contains(clock[0]), (0...59).contains(clock[1]), (0...60).contains(clock[2])
        else { throw RecordError(record: "", field: nil, reason: "'\(text)' is not YYYY-MM-DDTHH:MM:SSZ") }
        return text
    }
}
