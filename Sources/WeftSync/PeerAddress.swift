/// The host and port of a peer's `https://host:port` URL.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    /// A DNS name or an IP address (IPv6 without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Parses `https://host[:port][/]`; the port defaults to 443.
    public init(url: String) throws {
        guard url.hasPrefix("https://") else { throw SyncError.badURL(url) }
        var rest = Substring(url.dropFirst("https://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { throw SyncError.badURL(url) }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw SyncError.badURL(url) }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            rest = rest[colon...]
        } else {
            host = String(rest)
            rest = ""
        }
        if rest.isEmpty {
            port = 443
        } else {
            guard rest.first == ":", let port = Int(rest.dropFirst()), (1...65535).contains(port) else {
                throw SyncError.badURL(url)
            }
            self.port = port
        }
        guard !host.isEmpty else { throw SyncError.badURL(url) }
    }

    /// True when the host is an IP literal (then no SNI name is sent).
    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
