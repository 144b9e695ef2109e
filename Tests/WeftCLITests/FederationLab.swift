import Foundation
import Synchronization
import Testing

/// A federation of real `weft serve` processes on 127.0.0.1, with a CA and node certificates made by the
/// certs/ scripts, as an operator would set it up. Every node gets a fixed free port at creation, so peers can
/// be added before it starts and it keeps its URL across restarts.
final class FederationLab {
    let root: String
    let caDirectory: String
    private(set) var nodes: [LabNode] = []

    init() throws {
        root = try WeftProcess.temporaryDirectory()
        caDirectory = root + "/ca"
        let made = try CertificateScriptTests.run(
            CertificateScriptTests.certs + "/make-ca.sh", [caDirectory, "Lab CA"])
        guard made.status == 0 else { throw LabError("make-ca.sh: \(made.stderr)") }
    }

    deinit { for node in nodes { node.kill() } }

    /// Initialises a node with a certificate from `ca` (default: the lab's CA) valid for `days`.
    func node(
        _ name: String, ca: String? = nil, days: Int = 30, notify: Bool = false, poll: Int = 600
    ) throws -> LabNode {
        let home = "\(root)/\(name)"
        try expectOK(try WeftProcess.run(["init", "--home", home, "--name", name]))
        let issued = try CertificateScriptTests.run(
            CertificateScriptTests.certs + "/issue-node.sh",
            [ca ?? caDirectory, home + "/tls", "node", "--ip", "127.0.0.1", "--days", String(days)])
        guard issued.status == 0 else { throw LabError("issue-node.sh: \(issued.stderr)") }
        try FileManager.default.copyItem(atPath: caDirectory + "/ca.pem", toPath: home + "/tls/ca.pem")
        let port = try Self.freePort()
        try expectOK(
            try WeftProcess.run([
                "config", "server", "--home", home, "--listen", "127.0.0.1:\(port)", "--public-url",
                "https://127.0.0.1:\(port)", "--ops-listen", "127.0.0.1:0", "--poll-interval", String(poll),
                "--notify", notify ? "on" : "off",
            ]))
        let node = LabNode(
            name: name, home: home, port: port, pin: issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        nodes.append(node)
        return node
    }

    /// Makes `a` and `b` peers of each other (each trusts the other's card).
    func link(_ a: LabNode, _ b: LabNode) throws {
        try a.trust(b)
        try b.trust(a)
    }

    /// A port nobody listens on right now, chosen below the kernel's ephemeral port range and never handed out
    /// twice by this process. A port that `bind` picks by itself comes from that range, where any outgoing
    /// connection (the nodes' own pulls) may take it as its source port before the node it was meant for starts
    /// listening: a ten-node test once failed with "Address already in use" that way.
    static func freePort() throws -> Int {
        let ephemeralStart = ephemeralPortRangeStart()
        guard ephemeralStart > 11_000 else { throw LabError("the ephemeral port range starts at \(ephemeralStart)") }
        for _ in 0..<500 {
            let port = Int.random(in: 10_000..<ephemeralStart)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if isFree(port) { return port }
        }
        throw LabError("cannot find a free port below \(ephemeralStart)")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// The first port of `net.ipv4.ip_local_port_range` (Linux's default, 32768, if it cannot be read).
    private static func ephemeralPortRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }

    /// Whether a socket can bind 127.0.0.1:`port` now.
    private static func isFree(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// One node of a ``FederationLab``.
final class LabNode {
    let name: String
    let home: String
    let port: Int
    let pin: String
    private(set) var opsPort: Int?
    private var server: Process?
    private var outputPath: String { home + "/serve.out" }

    init(name: String, home: String, port: Int, pin: String) {
        self.name = name
        self.home = home
        self.port = port
        self.pin = pin
    }

    var url: String { "https://127.0.0.1:\(port)" }

    /// Runs `weft ARGS --home HOME`.
    @discardableResult
    func weft(_ arguments: [String]) throws -> WeftProcess.Result {
        try WeftProcess.run(arguments + ["--home", home])
    }

    /// This node's card as JSON text.
    func card() throws -> String { try weft(["identity", "export"]).stdout }

    /// Adds `other` as a peer, from its card.
    func trust(_ other: LabNode, extra: [String] = []) throws {
        let path = "\(home)/\(other.name).card"
        try other.card().write(toFile: path, atomically: true, encoding: .utf8)
        try expectOK(try weft(["peer", "add", "--card", path] + extra))
    }

    /// Starts `weft serve` and waits until it listens.
    func start(extra: [String] = []) throws {
        precondition(server == nil, "already running")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WeftProcess.binary)
        process.arguments = ["serve", "--home", home, "--log-level", "info"] + extra
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: home + "/serve.err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: home + "/serve.err"))
        try process.run()
        server = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if text.contains("sync listening"),
                let ops = text.split(separator: "\n").first(where: { $0.hasPrefix("ops listening") })
            {
                opsPort = ops.split(separator: ":").last.flatMap { Int($0) }
                return
            }
            guard process.isRunning else { throw LabError("\(name): weft serve exited: \(serverLog())") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw LabError("\(name): weft serve did not start: \(serverLog())")
    }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func stop() -> Int32? {
        guard let server else { return nil }
        server.terminate()
        server.waitUntilExit()
        self.server = nil
        return server.terminationStatus
    }

    /// SIGKILL, no goodbye.
    func kill() {
        guard let server, server.isRunning else { return }
        Foundation.kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        self.server = nil
    }

    var isRunning: Bool { server?.isRunning ?? false }

    /// The server's standard error so far.
    func serverLog() -> String { (try? String(contentsOfFile: home + "/serve.err", encoding: .utf8)) ?? "" }

    /// Publishes `reports` domain reports in one case, values unique to this node and `tag`.
    func publish(reports: Int, tag: String, channel: [String] = []) throws {
        var lines = [#"{"type":"case","id":"\#(tag)","status":"confirmed","accounts":40}"#]
        for index in 0..<reports {
            lines.append(
                #"{"type":"report","case":"\#(tag)","kind":"domain","value":"\#(name)-\#(tag)-\#(index).example.com","first_seen":"2023-05-01","confidence":80,"posting_accounts":12,"flagged_accounts":9}"#
            )
        }
        let path = "\(home)/\(tag).jsonl"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try expectOK(try weft(["publish", path] + channel))
    }

    /// `weft status --json` (with checksums if asked).
    func status(checksums: Bool = false) throws -> [String: Any] {
        let result = try weft(["status", "--json"] + (checksums ? ["--checksums"] : []))
        try expectOK(result)
        return try WeftProcess.json(result) as? [String: Any] ?? [:]
    }

    /// Number of bundles held.
    func bundleCount() throws -> Int { try status()["bundles"] as? Int ?? -1 }

    /// `weft sync --once --json`: the result and the per-peer rows.
    func syncOnce(peer: String? = nil) throws -> (result: WeftProcess.Result, rows: [[String: Any]]) {
        let result = try weft(["sync", "--once", "--json"] + (peer.map { ["--peer", $0] } ?? []))
        let rows = (try? WeftProcess.json(result) as? [[String: Any]]) ?? []
        return (result, rows)
    }

    /// The audit log (`weft audit --json`), newest last.
    func audit(limit: Int = 1000) throws -> [[String: Any]] {
        let result = try weft(["audit", "--json", "--limit", String(limit)])
        try expectOK(result)
        return try WeftProcess.json(result) as? [[String: Any]] ?? []
    }
}

struct LabError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Fails the test with the command's stderr when it did not exit 0.
func expectOK(_ result: WeftProcess.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(result.status == 0, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    if result.status != 0 { throw LabError("command failed: \(result.stderr)") }
}
