import WeftCore

/// The `server` section of a node's `config.json`: how `weft serve` listens, which TLS material it uses, and how
/// its pull loop behaves. Every option is documented in docs/operations.md; flags of `weft serve` override.
public struct ServerConfiguration: Sendable, Hashable {
    /// Address of the mutual-TLS sync server, `host:port` (port 0: any free port, printed at start).
    public var listen = "0.0.0.0:7443"
    /// The URL peers use to reach this node, written on its peer card.
    public var publicURL: String?
    /// PEM certificate chain of this node (leaf first); relative paths are relative to the home.
    public var certificate = "tls/node.pem"
    /// PEM private key of that certificate (mode 0600).
    public var privateKey = "tls/node.key"
    /// PEM CA certificates peers' certificates must chain to (the federation CA, member CAs).
    public var trustRoots = ["tls/ca.pem"]
    /// Plain-HTTP listener for `/health` and `/metrics`, `host:port`; nil: none. Keep it on loopback.
    public var opsListen: String?
    /// Seconds between pull rounds with a healthy peer.
    public var pollIntervalSeconds = 10
    /// Send notify messages when new bundles arrive, and honour peers' notifies.
    public var notify = true
    /// Bundles per feed request and per apply transaction.
    public var batchSize = 64
    /// Deadline of one request to a peer, seconds.
    public var requestTimeoutSeconds = 60
    /// Per-peer request rate on the sync server: sustained requests per second and burst.
    public var rateLimitPerSecond = 50
    public var rateLimitBurst = 200
    /// Close idle sync connections after this many seconds.
    public var idleTimeoutSeconds = 120
    /// Build the analyst API's incremental merge in the background at start, rather than at the first change to the
    /// view (which then waits for it); only with an operations listener.
    public var analystWarmUp = true

    /// The defaults.
    public init() {}

    /// Reads the section, refusing unknown keys and out-of-range values.
    public init(json: JSONValue) throws(RecordError) {
        var reader = try FieldReader(json, record: "server")
        listen = try reader.optionalString("listen") ?? listen
        publicURL = try reader.optionalString("public_url")
        certificate = try reader.optionalString("certificate") ?? certificate
        privateKey = try reader.optionalString("private_key") ?? privateKey
        let roots = try reader.strings("trust_roots")
        if !roots.isEmpty { trustRoots = roots }
        opsListen = try reader.optionalString("ops_listen")
        pollIntervalSeconds = try reader.optionalInteger("poll_interval_seconds", in: 1...86_400) ?? pollIntervalSeconds
        if let value = reader.optional("notify") {
            guard case .bool(let flag) = value else { throw reader.error("notify", "must be true or false") }
            notify = flag
        }
        batchSize = try reader.optionalInteger("batch_size", in: 1...1000) ?? batchSize
        requestTimeoutSeconds =
            try reader.optionalInteger("request_timeout_seconds", in: 1...3600) ?? requestTimeoutSeconds
        rateLimitPerSecond = try reader.optionalInteger("rate_limit_per_second", in: 1...100_000) ?? rateLimitPerSecond
        rateLimitBurst = try reader.optionalInteger("rate_limit_burst", in: 1...1_000_000) ?? rateLimitBurst
        idleTimeoutSeconds = try reader.optionalInteger("idle_timeout_seconds", in: 1...86_400) ?? idleTimeoutSeconds
        if let value = reader.optional("analyst_warm_up") {
            guard case .bool(let flag) = value else { throw reader.error("analyst_warm_up", "must be true or false") }
            analystWarmUp = flag
        }
        try reader.finish()
        _ = try ListenAddress(listen, field: "server.listen")
        if let opsListen { _ = try ListenAddress(opsListen, field: "server.ops_listen") }
    }

    /// The section as written to `config.json`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "listen": .string(listen), "certificate": .string(certificate), "private_key": .string(privateKey),
            "trust_roots": .array(trustRoots.map { .string($0) }),
            "poll_interval_seconds": .number(Double(pollIntervalSeconds)), "notify": .bool(notify),
            "batch_size": .number(Double(batchSize)), "request_timeout_seconds": .number(Double(requestTimeoutSeconds)),
            "rate_limit_per_second": .number(Double(rateLimitPerSecond)),
            "rate_limit_burst": .number(Double(rateLimitBurst)),
            "idle_timeout_seconds": .number(Double(idleTimeoutSeconds)), "analyst_warm_up": .bool(analystWarmUp),
        ]
        if let publicURL { object["public_url"] = .string(publicURL) }
        if let opsListen { object["ops_listen"] = .string(opsListen) }
        return .object(object)
    }
}

/// A `host:port` to listen on.
public struct ListenAddress: Sendable, Hashable {
    /// Host or IP address.
    public var host: String
    /// Port; 0 picks a free one.
    public var port: Int

    /// Parses `host:port` (IPv6 in brackets).
    public init(_ text: String, field: String = "listen") throws(RecordError) {
        var host = Substring(text)
        guard let colon = host.lastIndex(of: ":"), let port = Int(host[host.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw RecordError(record: "", field: field, reason: "'\(text)' is not host:port") }
        host = host[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty else { throw RecordError(record: "", field: field, reason: "'\(text)' has no host") }
        self.host = String(host)
        self.port = port
    }
}
