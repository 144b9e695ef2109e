import Foundation
import Logging
import ServiceLifecycle
import WeftCore
import WeftServer
import WeftStore
import WeftSync

/// Nodes for `weft bench sync|propagation`: a store, an origin key and TLS material made by the certs/ scripts,
/// in a temporary directory; servers run in this process on 127.0.0.1 with ports chosen by the system.
struct BenchNodes {
    /// One node.
    struct Node {
        let name: String
        let store: NodeStore
        let key: OriginKey
        let tls: TLSIdentity
    }

    /// A running sync server.
    struct Running {
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let url: String
    }

    let certs: CertificateScripts
    let work: String
    let quiet: Logger

    init(certs: String) throws {
        self.certs = try CertificateScripts.locate(certs)
        work = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        var logger = Logger(label: "weft.bench")
        logger.logLevel = .critical
        quiet = logger
        try self.certs.run("make-ca.sh", ["\(work)/ca", "Bench CA"])
    }

    func removeAll() { try? FileManager.default.removeItem(atPath: work) }

    func make(_ name: String) throws -> Node {
        let key = OriginKey()
        let store = try NodeStore(path: "\(work)/\(name).sqlite", node: key.originID, logger: quiet)
        _ = try store.addOrigin(name: "self-\(name)", publicKey: key.publicKey, isSelf: true)
        try certs.run("issue-node.sh", ["\(work)/ca", "\(work)/tls", name, "--ip", "127.0.0.1"])
        let tls = try TLSIdentity(
            certificateFile: "\(work)/tls/\(name).pem", keyFile: "\(work)/tls/\(name).key",
            trustRootFiles: ["\(work)/ca/ca.pem"])
        return Node(name: name, store: store, key: key, tls: tls)
    }

    /// Starts `node`'s server (sync routes and pull loop) and returns once it listens.
    func start(_ node: Node, _ configure: (inout ServerConfiguration) -> Void) async throws -> Running {
        var configuration = ServerConfiguration()
        configuration.listen = "127.0.0.1:0"
        configuration.rateLimitPerSecond = 100_000
        configuration.rateLimitBurst = 100_000
        configure(&configuration)
        let server = NodeServer(store: node.store, identity: node.tls, configuration: configuration, logger: quiet)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = try server.makeServiceGroup(signals: []) { listening in
            if case .sync(_, let port) = listening { continuation.yield(port) }
        }
        let task = Task { try await group.run() }
        for await port in ports { return Running(group: group, task: task, url: "https://127.0.0.1:\(port)") }
        throw CLIFailure("\(node.name): the sync server did not start")
    }

    /// Publishes `count` domain reports in one case, 50,000 per transaction.
    func publish(_ node: Node, reports count: Int, tag: String) throws {
        let chunk = 50_000
        for start in stride(from: 0, to: max(count, 1), by: chunk) {
            var lines = start == 0 ? [#"{"type":"case","id":"\#(tag)","status":"suspected","accounts":300}"#] : []
            for index in start..<min(start + chunk, count) {
                lines.append(
                    #"{"type":"report","case":"\#(tag)","kind":"domain","value":"d\#(index).\#(tag).\#(node.name).bench-example.com","first_seen":"2023-05-01","confidence":70,"posting_accounts":9,"flagged_accounts":3}"#
                )
            }
            let input = try PublicationInput(jsonl: Array(lines.joined(separator: "\n").utf8))
            _ = try node.store.publish(
                Publication(channel: .federation, audience: .federation, cases: input.cases, reports: input.reports),
                key: node.key)
        }
    }
}

/// Writes a progress line for a benchmark to standard error.
func benchProgress(_ line: String) {
    FileHandle.standardError.write(Data("weft bench: \(line)\n".utf8))
}
