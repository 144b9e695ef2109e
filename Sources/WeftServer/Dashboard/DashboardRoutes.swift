import HTTPTypes
import Hummingbird
import NIOCore

/// The analyst dashboard: three static files written for Weft (no framework, nothing fetched from elsewhere),
/// served at `/` of the operations listener. The page holds no data of its own; its script reads the analyst
/// API with the token the analyst enters, so the files themselves need no authentication.
struct DashboardRoutes: Sendable {
    /// Only this origin's scripts and styles, and no inline script: what the page shows comes from the API as
    /// text, never as markup.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func register(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.file(DashboardPage.html, type: "text/html; charset=utf-8") }
        router.get("dashboard.js") { _, _ in
            Self.file(DashboardScript.source, type: "text/javascript; charset=utf-8")
        }
        router.get("dashboard.css") { _, _ in Self.file(DashboardStyle.source, type: "text/css; charset=utf-8") }
    }

    private static func file(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
