import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import WeftStore

/// Admits a sync request only from an active peer: the TLS layer has already checked that the client
/// certificate chains to a trusted CA and is within its validity; the gate maps the certificate's SPKI pin to
/// the trust table, refuses unknown, suspended and revoked callers (logged and audited, with the reason), and
/// applies the per-peer rate limit. The table is read on every request, so a revocation takes effect on live
/// connections at once.
public struct PeerGate: RouterMiddleware {
    public typealias Context = SyncRequestContext

    let store: NodeStore
    let limiter: RateLimiter
    let metrics: SyncMetrics
    let logger: Logger

    /// Creates a gate.
    public init(store: NodeStore, limiter: RateLimiter, metrics: SyncMetrics, logger: Logger) {
        self.store = store
        self.limiter = limiter
        self.metrics = metrics
        self.logger = logger
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let certificate = try await context.channel.nioSSL_peerCertificate().get() else {
            throw refuse("no-certificate", subject: "-", "the connection carries no client certificate", .unauthorized)
        }
        let pin = try SPKIPin(certificate: certificate).hex
        guard let peer = try store.peer(pin: pin) else {
            throw refuse("unknown-peer", subject: pin, "no peer has SPKI pin \(pin)", .forbidden)
        }
        switch peer.status {
        case .active: break
        case .suspended, .revoked:
            throw refuse(
                "peer-\(peer.status.rawValue)", subject: peer.name,
                "peer '\(peer.name)' is \(peer.status.rawValue)", .forbidden)
        }
        guard limiter.allow(pin) else {
            metrics.increment("weft_sync_refused_total", [("reason", "rate-limited")])
            throw HTTPError(.tooManyRequests, message: "rate limit exceeded; retry later")
        }
        var context = context
        context.peer = peer
        return try await next(request, context)
    }

    private func refuse(
        _ reason: String, subject: String, _ message: String, _ status: HTTPResponse.Status
    )
        -> HTTPError
    {
        metrics.increment("weft_sync_refused_total", [("reason", reason)])
        logger.warning("sync request refused", metadata: ["reason": "\(reason)", "detail": "\(message)"])
        do { try store.auditRefusedCaller(subject: subject, reason: reason, detail: message) } catch {
            logger.error("cannot write the audit log", metadata: ["error": "\(error)"])
        }
        return HTTPError(status, message: message)
    }
}
