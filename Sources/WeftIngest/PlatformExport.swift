import Foundation
import WeftCore

/// A platform's raw export, as `weft simulate` writes it and as a platform's own pipeline would produce it
/// (docs/scenario.md, "Platform export"): `platform.json`, `accounts.jsonl`, `posts.jsonl`, `flagged.jsonl` and
/// `media/`. Only the fields ingest needs are read; display names and e-mail addresses are never even parsed.
public struct PlatformExport: Sendable {
    /// An account: its platform id and handle.
    public struct Account: Sendable, Hashable {
        public var id: String
        public var handle: String
    }

    /// A post.
    public struct Post: Sendable, Hashable {
        public var account: String
        /// Unix seconds, UTC.
        public var time: Int64
        public var text: String
        public var links: [String]
        public var media: [String]
    }

    /// A flagged account and its case.
    public struct Flag: Sendable, Hashable {
        public var account: String
        public var caseID: String
        public var status: String
        public var labels: [String]
    }

    /// The folder.
    public var directory: String
    /// The platform's name (`platform.json`), which keyed account values are made with.
    public var name: String
    public var accounts: [Account]
    public var posts: [Post]
    public var flags: [Flag]

    /// Reads the folder; a bad line is reported with its file and line number.
    public init(directory: String) throws {
        self.directory = directory
        var header = try Self.records(directory, "platform.json").first.map {
            try FieldReader($0.value, record: $0.record)
        }
        guard header != nil else { throw IngestError("\(directory)/platform.json is empty") }
        name = try Self.read { try header!.string("name") }
        accounts = try Self.records(directory, "accounts.jsonl").map { line in
            var reader = try Self.read { try FieldReader(line.value, record: line.record) }
            return try Self.read { Account(id: try reader.string("id"), handle: try reader.string("handle")) }
        }
        posts = try Self.records(directory, "posts.jsonl").map { line in
            var reader = try Self.read { try FieldReader(line.value, record: line.record) }
            let timeText = try Self.read { try reader.string("time") }
            guard let time = UTCTime.parse(timeText) else {
                throw IngestError("\(line.record): time '\(timeText)' is not YYYY-MM-DDTHH:MM:SSZ")
            }
            return try Self.read {
                Post(
                    account: try reader.string("account"), time: time, text: try reader.string("text"),
                    links: try reader.strings("links"), media: try reader.strings("media"))
            }
        }
        flags = try Self.records(directory, "flagged.jsonl").map { line in
            var reader = try Self.read { try FieldReader(line.value, record: line.record) }
            return try Self.read {
                Flag(
                    account: try reader.string("account"), caseID: try reader.string("case"),
                    status: try reader.string("status"), labels: try reader.strings("labels"))
            }
        }
    }

    /// The bytes of a media file named by a post.
    public func mediaBytes(_ name: String) throws(IngestError) -> [UInt8] {
        guard !name.contains("/"), !name.hasPrefix("."),
            let data = FileManager.default.contents(atPath: "\(directory)/media/\(name)")
        else { throw IngestError("cannot read media file '\(name)' under \(directory)/media") }
        return Array(data)
    }

    /// Runs `body`, turning a record error into an ingest error.
    private static func read<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as IngestError { throw error } catch { throw IngestError("\(error)") }
    }

    private static func records(
        _ directory: String, _ file: String
    ) throws -> [(
        record: String, value: JSONValue
    )] {
        let path = "\(directory)/\(file)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError("cannot read \(path) (is \(directory) a platform export folder?)")
        }
        var result: [(String, JSONValue)] = []
        var number = 0
        for line in Array(data).split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard !line.isEmpty else { continue }
            do { result.append(("\(file) line \(number)", try JSONParser.parse(Array(line)))) } catch {
                throw IngestError("\(file) line \(number): not JSON: \(error)")
            }
        }
        return result
    }
}

/// Why a platform export cannot be ingested.
public struct IngestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, and where.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
