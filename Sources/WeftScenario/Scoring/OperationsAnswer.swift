import Foundation

/// The operations a merge found, in the form `weft ops list --json` prints and `weft score` reads
/// (docs/operations-format.md). Only `cases` is required for scoring; evidence lets the scorer tell whether an
/// operation rests on organic content.
public struct OperationsAnswer: Codable, Sendable {
    /// One case of an operation: the origin that reported it and the origin's own case id.
    public struct CaseReference: Codable, Sendable, Hashable {
        /// The origin id (hex), when known.
        public var origin: String?
        /// The origin's name; in a scenario, the platform's name.
        public var originName: String
        /// The origin's case id.
        public var caseID: String

        public init(origin: String? = nil, originName: String, caseID: String) {
            self.origin = origin
            self.originName = originName
            self.caseID = caseID
        }

        enum CodingKeys: String, CodingKey {
            case origin
            case originName = "origin_name"
            case caseID = "case"
        }
    }

    /// One item of evidence that links an operation's cases.
    public struct Evidence: Codable, Sendable, Hashable {
        public var kind: String
        public var value: String
        /// Why it links (free text).
        public var reason: String?
        /// Its weight in the operation's graph.
        public var weight: Double?

        public init(kind: String, value: String, reason: String? = nil, weight: Double? = nil) {
            self.kind = kind
            self.value = value
            self.reason = reason
            self.weight = weight
        }
    }

    /// One operation.
    public struct Operation: Codable, Sendable {
        public var id: String
        public var platforms: [String]?
        public var cases: [CaseReference]
        public var evidence: [Evidence]?
        public var confidence: Double?
        public var firstSeen: String?
        public var lastSeen: String?
        public var labels: [String]?

        public init(id: String, cases: [CaseReference], evidence: [Evidence]? = nil) {
            self.id = id
            self.cases = cases
            self.evidence = evidence
            platforms = Array(Set(cases.map(\.originName))).sorted()
        }

        enum CodingKeys: String, CodingKey {
            case id, platforms, cases, evidence, confidence, labels
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
        }
    }

    public var operations: [Operation]

    public init(operations: [Operation]) { self.operations = operations }

    /// Reads an operations file.
    public static func read(from path: String) throws -> OperationsAnswer {
        guard let data = FileManager.default.contents(atPath: path) else { throw ScenarioError("cannot read \(path)") }
        do { return try JSONDecoder().decode(OperationsAnswer.self, from: data) } catch {
            throw ScenarioError("\(path) is not an operations file (docs/operations-format.md): \(error)")
        }
    }
}
