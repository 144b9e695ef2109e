import Hummingbird
import NIOCore
import WeftStore

/// The request context of the sync routes: Hummingbird's core storage plus the connection's channel (where the
/// verified client certificate is read) and, once ``PeerGate`` has passed the request, the calling peer.
public struct SyncRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TLS connection the request came on.
    public let channel: any Channel
    /// The caller, identified by its certificate's SPKI pin; set by ``PeerGate``.
    public var peer: PeerRecord?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        peer = nil
    }

    /// Sync requests are small; notify bodies are limited further by the route.
    public var maxUploadSize: Int { 64 << 10 }
}
