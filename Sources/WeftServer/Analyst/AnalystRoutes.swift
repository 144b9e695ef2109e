import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WeftAnalysis
import WeftCore
import WeftHashing
import WeftStore

/// The analyst API (docs/openapi.json): the questions of `weft ops`, `weft indicator show`, `weft search pdq`
/// and `weft peers status`, answered as JSON in the same shapes as the CLI's `--json`. Every route needs an
/// analyst token (``AnalystAuthenticator``).
struct AnalystRoutes: Sendable {

    let store: NodeStore
    let cache: MergeCache
    let logger: Logger

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api/v1").add(middleware: AnalystAuthenticator(store: store, logger: logger))
        api.get("status") { _, _ in
            try Self.json(try await offloaded { [store] in try store.status() })
        }
        api.get("operations") { request, _ in
            let query = request.uri.queryParameters
            let minPlatforms = try Self.integer(query.get("min_platforms"), "min_platforms", default: 1)
            let label = query.get("label")
            let since = try query.get("since").map { try Self.day($0, "since") }
            let offset = try Self.integer(query.get("offset"), "offset", default: 0)
            let limit = try Self.integer(query.get("limit"), "limit", default: Int.max)
            guard offset >= 0, limit >= 0 else { throw HTTPError(.badRequest, message: "offset and limit are ≥ 0") }
            let merge = try await offloaded { [cache] in try cache.current() }
            // {"operations":[…]} from the operations' cached encodings: the same bytes as encoding the page whole.
            var body = Array(#"{"operations":["#.utf8)
            var listed = 0
            var skipped = 0
            for (operation, encoded) in zip(merge.operations, merge.encoded) where listed < limit {
                guard operation.matches(minPlatforms: minPlatforms, label: label, since: since) else { continue }
                guard skipped >= offset else {
                    skipped += 1
                    continue
                }
                if listed > 0 { body.append(UInt8(ascii: ",")) }
                body += encoded
                listed += 1
            }
            body += Array("]}".utf8)
            return Self.response(body)
        }
        api.get("operations/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            let detail = try await offloaded { [cache] in
                try cache.answer { merge, search in
                    let matches = merge.operations.filter { $0.id.hasPrefix(id) }
                    guard matches.count == 1, let operation = matches.first, !id.isEmpty else {
                        throw HTTPError(
                            matches.count > 1 ? .badRequest : .notFound,
                            message: matches.count > 1
                                ? "'\(id)' matches \(matches.count) operations" : "no operation \(id)")
                    }
                    return search.detail(of: operation)
                }
            }
            return try Self.json(detail)
        }
        api.get("indicators") { request, _ in
            let query = request.uri.queryParameters
            guard let kind = query.get("kind"), let value = query.get("value") else {
                throw HTTPError(.badRequest, message: "kind and value are required")
            }
            let indicator: Indicator
            do { indicator = try Indicator(kind: try IndicatorKind(validating: kind), value: value) } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            let all = query.get("all") == "true"
            return try Self.json(
                try await offloaded { [store, cache] in
                    // From the merge's state when the cache holds one; else near copies from an index of the whole
                    // view and co-occurrence from SQLite. No lock is held for the store's own questions after.
                    let hasNear = IndicatorProvenance.hasNearCopies(indicator.kind)
                    let live = try cache.withIncrementalMerge(preparingTexts: indicator.kind == .textMinHash) {
                        _, merge in
                        (
                            near: IndicatorProvenance.nearCopies(of: indicator, in: merge),
                            cooccurring: merge.cooccurring(with: indicator)
                        )
                    }
                    let near =
                        try live?.near
                        ?? (hasNear ? IndicatorProvenance.nearCopies(of: indicator, in: cache.wholeViewSearch()) : [])
                    return try IndicatorProvenance(
                        indicator, in: store, near: near, cooccurring: live?.cooccurring, includeWithdrawn: all)
                })
        }
        api.get("search/pdq") { request, _ in
            let query = request.uri.queryParameters
            guard let text = query.get("hash"), let hash = PDQHash(hex: text) else {
                throw HTTPError(.badRequest, message: "hash must be 64 hex digits (a PDQ hash)")
            }
            let distance = try Self.integer(query.get("max_distance"), "max_distance", default: 31)
            guard (0...128).contains(distance) else { throw HTTPError(.badRequest, message: "max_distance is 0…128") }
            let matches = try await offloaded { [cache] in
                try cache.answer { _, search in search.pdq(hash, maximumDistance: distance) }
            }
            return try Self.json(MatchesPage(matches: matches))
        }
        api.get("peers") { _, _ in
            try Self.json(try await offloaded { [store] in try PeerSummary.all(in: store) })
        }
    }

    /// JSON as the CLI's `--json` prints it: snake_case keys, sorted.
    static func json(_ value: some Encodable) throws -> Response {
        response(try encode(value))
    }

    /// `value` as the API encodes it.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(value))
    }

    private static func response(_ json: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    private static func integer(_ text: String?, _ name: String, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text) else { throw HTTPError(.badRequest, message: "\(name) must be an integer") }
        return number
    }

    private static func day(_ text: String, _ name: String) throws -> String {
        guard UTCTime.parse(text + "T00:00:00Z") != nil else {
            throw HTTPError(.badRequest, message: "\(name) must be a day, YYYY-MM-DD")
        }
        return text
    }
}

/// The analyst API's public description, for tests and tools.
public enum AnalystAPI {
    /// Every route, as OpenAPI spells its path (docs/openapi.json lists exactly these).
    public static let paths = [
        "/api/v1/status", "/api/v1/operations", "/api/v1/operations/{id}", "/api/v1/indicators",
        "/api/v1/search/pdq", "/api/v1/peers",
    ]
}
