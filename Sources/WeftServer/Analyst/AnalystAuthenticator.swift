import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WeftStore

/// Admits an analyst API request only with `Authorization: Bearer TOKEN` for a token made by `weft analyst add`.
/// The analyst table is read on every request, so `weft analyst remove` takes effect at once.
struct AnalystAuthenticator: RouterMiddleware {
    typealias Context = BasicRequestContext

    let store: NodeStore
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer ") else {
            throw Self.refusal("an analyst token is required: Authorization: Bearer TOKEN (weft analyst add NAME)")
        }
        let token = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let analyst = try store.analyst(bearing: token) else {
            logger.warning("analyst API: unknown token refused", metadata: ["path": "\(request.uri.path)"])
            throw Self.refusal("unknown or removed analyst token")
        }
        logger.debug("analyst API", metadata: ["analyst": "\(analyst.name)", "path": "\(request.uri.path)"])
        return try await next(request, context)
    }

    private static func refusal(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"weft\""], message: message)
    }
}
