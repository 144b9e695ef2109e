import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// One mutual-TLS HTTP/1.1 connection to a peer's sync server, used for a sequence of requests.
///
/// Made only inside ``with(_:identity:pin:connectTimeout:requestTimeout:_:)``, which closes it afterwards. The
/// peer's key is checked against its pin after the handshake and before any request is sent.
public final class SyncConnection {
    /// An answer.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The body.
        public var body: [UInt8]
    }

    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
    private let address: PeerAddress
    private let requestTimeout: TimeAmount
    /// The largest response body accepted.
    public var maxResponseBytes = 256 << 20

    private init(
        channel: any Channel, inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>,
        outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>, address: PeerAddress, requestTimeout: TimeAmount
    ) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.address = address
        self.requestTimeout = requestTimeout
    }

    /// Connects to `url`, checks that the server's key has `pin`, runs `body`, and closes the connection.
    public static func with<T>(
        _ url: String, identity: TLSIdentity, pin: String,
        connectTimeout: TimeAmount = .seconds(5), requestTimeout: TimeAmount = .seconds(60),
        _ body: (SyncConnection) async throws -> T
    ) async throws -> T {
        let address = try PeerAddress(url: url)
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: identity.clientConfiguration) } catch {
            throw SyncError.configuration("\(error)")
        }
        let serverName = address.isIPAddress ? nil : address.host
        let (asyncChannel, handshake):
            (NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, EventLoopFuture<NIOSSLCertificate?>)
        do {
            (asyncChannel, handshake) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(connectTimeout)
                .connect(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let observer = HandshakeObserver(promise: channel.eventLoop.makePromise())
                        let operations = channel.pipeline.syncOperations
                        try operations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                        try operations.addHandler(observer)
                        try operations.addHTTPClientHandlers()
                        let wrapped = try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                        return (wrapped, observer.promise.futureResult)
                    }
                }
        } catch {
            throw SyncError.connection("\(address): \(error)")
        }
        let channel = asyncChannel.channel
        let deadline = channel.eventLoop.scheduleTask(in: connectTimeout) { channel.close(promise: nil) }
        let serverCertificate: NIOSSLCertificate?
        do {
            serverCertificate = try await handshake.get()
            deadline.cancel()
        } catch {
            deadline.cancel()
            channel.close(promise: nil)
            throw SyncError.connection("\(address): TLS handshake failed: \(error)")
        }
        do {
            guard let certificate = serverCertificate else {
                throw SyncError.connection("\(address): no server certificate")
            }
            let found = try SPKIPin(certificate: certificate).hex
            guard found == pin.lowercased() else { throw SyncError.pinMismatch(expected: pin, found: found) }
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return try await asyncChannel.executeThenClose { inbound, outbound in
            let connection = SyncConnection(
                channel: channel, inbound: inbound, outbound: outbound, address: address,
                requestTimeout: requestTimeout)
            return try await body(connection)
        }
    }

    /// `GET path`.
    public func get(_ path: String) async throws -> Response {
        try await exchange(method: .GET, path: path, body: nil)
    }

    /// `POST path` with a JSON body.
    public func post(_ path: String, json body: [UInt8]) async throws -> Response {
        try await exchange(method: .POST, path: path, body: body)
    }

    /// `GET path`, requiring status 200.
    public func getOK(_ path: String) async throws -> [UInt8] {
        let response = try await get(path)
        guard response.status == 200 else {
            throw SyncError.status(
                code: response.status, path: path, message: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return response.body
    }

    private func exchange(method: HTTPMethod, path: String, body: [UInt8]?) async throws -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: address.description)
        headers.add(name: "Accept", value: "application/json, application/x-ndjson")
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
        }
        let channel = self.channel
        let timedOut = TimeoutFlag()
        let deadline = channel.eventLoop.scheduleTask(in: requestTimeout) {
            timedOut.set()
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            try await outbound.write(
                .head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = 0
            var collected: [UInt8] = []
            while let part = try await inbound.next() {
                switch part {
                case .head(let head):
                    status = Int(head.status.code)
                case .body(let buffer):
                    guard collected.count + buffer.readableBytes <= maxResponseBytes else {
                        channel.close(promise: nil)
                        throw SyncError.protocolViolation("response to \(path) exceeds \(maxResponseBytes) bytes")
                    }
                    collected.append(contentsOf: buffer.readableBytesView)
                case .end:
                    return Response(status: status, body: collected)
                }
            }
            throw SyncError.connection("\(address): closed before answering \(path)")
        } catch let error as SyncError {
            throw timedOut.isSet ? SyncError.timeout("\(method) \(path) at \(address)") : error
        } catch {
            if timedOut.isSet { throw SyncError.timeout("\(method) \(path) at \(address)") }
            throw SyncError.connection("\(address): \(path): \(error)")
        }
    }
}

/// Completes a promise with the server's certificate when the TLS handshake finishes (read from the TLS handler
/// right then, before a server that refuses our certificate can tear the pipeline down), or fails it if the
/// connection errors or closes first. Lives on the channel's event loop, the only place its state is touched.
private final class HandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let promise: EventLoopPromise<NIOSSLCertificate?>
    private var settled = false

    init(promise: EventLoopPromise<NIOSSLCertificate?>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, !settled {
            settled = true
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self)
            promise.succeed(handler?.peerCertificate)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(SyncError.connection("closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A connection that never became active (refused, timed out) is torn down without channelInactive.
        settle(SyncError.connection("closed before the TLS handshake completed"))
    }

    private func settle(_ error: any Error) {
        guard !settled else { return }
        settled = true
        promise.fail(error)
    }
}

/// Set by a request's deadline task, read by the request: tells a timeout from another closed-connection error.
private final class TimeoutFlag: Sendable {
    private let box = NIOLockedValueBox(false)
    func set() { box.withLockedValue { $0 = true } }
    var isSet: Bool { box.withLockedValue { $0 } }
}
