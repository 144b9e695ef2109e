/// One origin's case: a takedown set or a suspected cluster on its platform. Cases, not accounts, cross the
/// wire: a case says how big it is (as a log₂ bucket) and how it is labelled, never who is in it.
public struct Case: Sendable, Hashable {
    /// Whether the origin has actioned the case.
    public enum Status: String, Sendable, CaseIterable {
        case suspected
        case confirmed
    }

    /// The origin's opaque id for the case.
    public var id: CaseID
    /// Suspected or confirmed.
    public var status: Status
    /// DISARM, kill-chain and free labels, sorted.
    public var labels: [Label]
    /// How many accounts the case holds, as a log₂ bucket.
    public var accounts: PrevalenceBucket

    /// Creates a case.
    public init(id: CaseID, status: Status, labels: [Label] = [], accounts: PrevalenceBucket) {
        self.id = id
        self.status = status
        self.labels = labels.sorted()
        self.accounts = accounts
    }
}

extension Case {
    /// Reads a case from its wire form.
    public init(json: JSONValue, record: String) throws(RecordError) {
        var reader = try FieldReader(json, record: record)
        id = try reader.parsed("id", CaseID.init)
        status = try reader.parsed("status") { (text) throws(RecordError) in
            guard let status = Status(rawValue: text) else {
                throw RecordError(record: "", field: nil, reason: "'\(text)' is not suspected or confirmed")
            }
            return status
        }
        labels = try reader.labels("labels")
        let bucket = try reader.integer("accounts", in: 0...63)
        accounts = try PrevalenceBucket(index: bucket)
        try reader.finish()
    }

    /// The wire form.
    public var json: JSONValue {
        .object([
            "id": .string(id.text),
            "status": .string(status.rawValue),
            "labels": .array(labels.map { .string($0.text) }),
            "accounts": .integer(accounts.index),
        ])
    }
}
