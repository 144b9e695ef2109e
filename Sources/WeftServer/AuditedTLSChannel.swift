import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// A server child channel that speaks TLS and reports every handshake the TLS layer refuses (a certificate from
/// another CA, an expired one, none at all) before wrapping the HTTP channel inside.
///
/// HummingbirdTLS's own channel closes such connections quietly: they never reach the HTTP layer, so the peer gate
/// cannot audit them. This one adds a ``HandshakeRefusalRecorder`` right behind the TLS handler.
struct AuditedTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    private let base: Base
    private let context: NIOSSLContext
    private let onRefusal: @Sendable (_ remote: String, _ detail: String) -> Void

    /// Wraps `base` in TLS under `configuration`; `onRefusal` is called on the event loop for each refused
    /// handshake, with the caller's address and what the TLS layer said, and must not block.
    init(
        _ base: Base, tlsConfiguration configuration: TLSConfiguration,
        onRefusal: @escaping @Sendable (_ remote: String, _ detail: String) -> Void
    ) throws {
        self.base = base
        context = try NIOSSLContext(configuration: configuration)
        self.onRefusal = onRefusal
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            try channel.pipeline.syncOperations.addHandler(
                HandshakeRefusalRecorder(remote: channel.remoteAddress.map { "\($0)" } ?? "?", onRefusal: onRefusal))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension AuditedTLSChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

/// Sits behind the TLS handler until the handshake completes, then removes itself; a TLS error before that is a
/// refused handshake and is reported once.
final class HandshakeRefusalRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let remote: String
    private let onRefusal: @Sendable (String, String) -> Void
    private var reported = false

    init(remote: String, onRefusal: @escaping @Sendable (String, String) -> Void) {
        self.remote = remote
        self.onRefusal = onRefusal
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !reported, let tlsError = error as? NIOSSLError, case .handshakeFailed = tlsError {
            reported = true
            onRefusal(remote, "\(tlsError)")
        }
        context.fireErrorCaught(error)
    }
}
