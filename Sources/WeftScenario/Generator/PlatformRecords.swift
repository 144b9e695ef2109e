import WeftCore

/// An account as the platform's export lists it. The handle, display name and e-mail address are raw personal
/// data: ingest reads them, and nothing derived from them leaves the node except keyed hashes.
public struct AccountRecord: Sendable, Hashable {
    public var id: String
    public var handle: String
    public var displayName: String
    public var email: String
    /// Unix seconds, UTC.
    public var created: Int64

    /// Creates a record.
    public init(id: String, handle: String, displayName: String, email: String, created: Int64) {
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.email = email
        self.created = created
    }

    /// One line of `accounts.jsonl`.
    public var json: JSONValue {
        .object([
            "id": .string(id), "handle": .string(handle), "display_name": .string(displayName),
            "email": .string(email), "created": .string(UTCTime.text(created)),
        ])
    }
}

/// A post as the platform's export lists it: raw text, links and attached media files.
public struct PostRecord: Sendable, Hashable {
    public var id: String
    public var account: String
    /// Unix seconds, UTC.
    public var time: Int64
    public var text: String
    public var links: [String]
    /// File names under the platform's `media/` folder.
    public var media: [String]

    /// Creates a record.
    public init(id: String, account: String, time: Int64, text: String, links: [String], media: [String]) {
        self.id = id
        self.account = account
        self.time = time
        self.text = text
        self.links = links
        self.media = media
    }

    /// One line of `posts.jsonl`.
    public var json: JSONValue {
        .object([
            "id": .string(id), "account": .string(account), "time": .string(UTCTime.text(time)),
            "text": .string(text), "links": .array(links.map { .string($0) }),
            "media": .array(media.map { .string($0) }),
        ])
    }
}

/// One account the platform's own trust-and-safety team has flagged, and the case (takedown set or suspected
/// cluster) they put it in.
public struct FlagRecord: Sendable, Hashable {
    public var account: String
    public var caseID: String
    /// `suspected` or `confirmed`.
    public var status: String
    public var labels: [String]

    /// Creates a record.
    public init(account: String, caseID: String, status: String, labels: [String]) {
        self.account = account
        self.caseID = caseID
        self.status = status
        self.labels = labels
    }

    /// One line of `flagged.jsonl`.
    public var json: JSONValue {
        .object([
            "account": .string(account), "case": .string(caseID), "status": .string(status),
            "labels": .array(labels.map { .string($0) }),
        ])
    }
}
