/// What went wrong talking to a peer, or setting up to.
public enum SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Certificate, key or trust-root files are missing or unusable.
    case configuration(String)
    /// The peer's URL is not `https://host:port`.
    case badURL(String)
    /// The server's certificate does not carry the pinned key.
    case pinMismatch(expected: String, found: String)
    /// The TLS connection failed or was refused (often: our certificate was not accepted).
    case connection(String)
    /// No answer within the deadline.
    case timeout(String)
    /// The peer answered with an error status.
    case status(code: Int, path: String, message: String)
    /// The peer's answer could not be read.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .configuration(let message): "TLS configuration: \(message)"
        case .badURL(let url): "'\(url)' is not an https://host:port URL"
        case .pinMismatch(let expected, let found):
            "the server's key does not match the pin: expected \(expected.prefix(16))…, found \(found.prefix(16))…"
        case .connection(let message): "connection failed: \(message)"
        case .timeout(let what): "timed out: \(what)"
        case .status(let code, let path, let message): "HTTP \(code) for \(path): \(message)"
        case .protocolViolation(let message): "bad answer: \(message)"
        }
    }
}
