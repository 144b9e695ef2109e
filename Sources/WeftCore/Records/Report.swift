import Crypto

/// One origin's assertion that an indicator belongs to one of its cases, with when it was seen, how sure the
/// origin is, and how widespread the item is on the origin's platform.
///
/// The prevalence lets a merge tell an operation's content (posted almost only by flagged accounts) from a
/// viral meme (posted by many accounts, few of them flagged).
public struct Report: Sendable, Hashable {
    /// The case it belongs to, declared in the same feed.
    public var caseID: CaseID
    /// The indicator.
    public var indicator: Indicator
    /// First day the origin saw the item in this case.
    public var firstSeen: Day
    /// Last day the origin saw the item in this case; never before `firstSeen`.
    public var lastSeen: Day
    /// How sure the origin is, 0–100.
    public var confidence: Int
    /// Labels, sorted.
    public var labels: [Label]
    /// Distinct accounts on the origin's platform that posted the item at all, as a log₂ bucket.
    public var postingAccounts: PrevalenceBucket
    /// How many of those accounts are in flagged cases, as a log₂ bucket; never above `postingAccounts`.
    public var flaggedAccounts: PrevalenceBucket

    /// Creates a report, checking the relations between its fields.
    public init(
        caseID: CaseID, indicator: Indicator, firstSeen: Day, lastSeen: Day, confidence: Int,
        labels: [Label] = [], postingAccounts: PrevalenceBucket,
        flaggedAccounts: PrevalenceBucket
    ) throws(RecordError) {
        self.caseID = caseID
        self.indicator = indicator
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.confidence = confidence
        self.labels = labels.sorted()
        self.postingAccounts = postingAccounts
        self.flaggedAccounts = flaggedAccounts
        try checkRelations(record: "")
    }

    private func checkRelations(record: String) throws(RecordError) {
        guard (0...100).contains(confidence) else {
            throw RecordError(record: record, field: "confidence", reason: "\(confidence) is outside 0…100")
        }
        guard lastSeen >= firstSeen else {
            throw RecordError(
                record: record, field: "last_seen", reason: "\(lastSeen) is before first_seen \(firstSeen)")
        }
        guard flaggedAccounts <= postingAccounts else {
            throw RecordError(
                record: record, field: "prevalence.flagged",
                reason: "bucket \(flaggedAccounts.index) exceeds accounts bucket \(postingAccounts.index)")
        }
    }
}

extension Report {
    /// Reads a report from its wire form.
    public init(json: JSONValue, record: String) throws(RecordError) {
        var reader = try FieldReader(json, record: record)
        caseID = try reader.parsed("case", CaseID.init)
        let kind = try reader.parsed("kind", IndicatorKind.init(validating:))
        let value = try reader.string("value")
        do { indicator = try Indicator(kind: kind, value: value) } catch { throw reader.error("value", error.reason) }
        firstSeen = try reader.parsed("first_seen", Day.init)
        lastSeen = try reader.parsed("last_seen", Day.init)
        confidence = try reader.integer("confidence", in: 0...100)
        labels = try reader.labels("labels")
        var prevalence = try FieldReader(try reader.required("prevalence"), record: "\(record) prevalence")
        postingAccounts = try PrevalenceBucket(index: try prevalence.integer("accounts", in: 0...63))
        flaggedAccounts = try PrevalenceBucket(index: try prevalence.integer("flagged", in: 0...63))
        try prevalence.finish()
        try reader.finish()
        try checkRelations(record: record)
    }

    /// The wire form.
    public var json: JSONValue {
        .object([
            "case": .string(caseID.text),
            "kind": .string(indicator.kind.rawValue),
            "value": .string(indicator.value),
            "first_seen": .string(firstSeen.text),
            "last_seen": .string(lastSeen.text),
            "confidence": .integer(confidence),
            "labels": .array(labels.map { .string($0.text) }),
            "prevalence": .object([
                "accounts": .integer(postingAccounts.index),
                "flagged": .integer(flaggedAccounts.index),
            ]),
        ])
    }

    /// The report's id: unique across the federation because it covers the origin and channel as well as the
    /// report's canonical bytes. Retractions name reports by this id.
    public func id(origin: OriginID, channel: Channel) -> String {
        id(feedPrefix: Self.idPrefix(origin: origin, channel: channel))
    }

    /// The bytes every report id of one feed starts its hash with; see ``id(feedPrefix:)``.
    public static func idPrefix(origin: OriginID, channel: Channel) -> [UInt8] {
        Array("weft.report.v1\u{0}\(origin.hex)\u{0}\(channel.name)\u{0}".utf8)
    }

    /// ``id(origin:channel:)`` with the feed's part computed once, for the many reports of one bundle.
    public func id(feedPrefix: [UInt8]) -> String {
        Hex.encode(idDigest(feedPrefix: feedPrefix))
    }

    /// ``id(feedPrefix:)`` before hex encoding.
    public func idDigest(feedPrefix: [UInt8]) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: feedPrefix)
        hasher.update(data: canonicalBytes)
        return hasher.finalize()
    }

    /// The RFC 8785 bytes of ``json``, written directly: a report's members are a fixed set, so their canonical
    /// order (case, confidence, first_seen, kind, labels, last_seen, prevalence, value) is known and nothing needs
    /// sorting. Tests check it equals `CanonicalJSON.encode(json)` byte for byte.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(192 + indicator.value.utf8.count)
        out.append(contentsOf: #"{"case":"#.utf8)
        CanonicalJSON.writeString(caseID.text, into: &out)
        out.append(contentsOf: #","confidence":"#.utf8)
        Self.writeDecimal(confidence, into: &out)
        out.append(contentsOf: #","first_seen":"#.utf8)
        CanonicalJSON.writeString(firstSeen.text, into: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        CanonicalJSON.writeString(indicator.kind.rawValue, into: &out)
        out.append(contentsOf: #","labels":["#.utf8)
        for (index, label) in labels.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(label.text, into: &out)
        }
        out.append(contentsOf: #"],"last_seen":"#.utf8)
        CanonicalJSON.writeString(lastSeen.text, into: &out)
        out.append(contentsOf: #","prevalence":{"accounts":"#.utf8)
        Self.writeDecimal(postingAccounts.index, into: &out)
        out.append(contentsOf: #","flagged":"#.utf8)
        Self.writeDecimal(flaggedAccounts.index, into: &out)
        out.append(contentsOf: #"},"value":"#.utf8)
        CanonicalJSON.writeString(indicator.value, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends a small non-negative integer (confidence, bucket) in decimal, as canonical JSON writes it.
    private static func writeDecimal(_ value: Int, into out: inout [UInt8]) {
        precondition(value >= 0, "report integers are validated non-negative")
        if value >= 10 { writeDecimal(value / 10, into: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
