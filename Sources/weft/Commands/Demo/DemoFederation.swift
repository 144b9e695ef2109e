import Foundation
import WeftCore
import WeftHashing
import WeftServer
import WeftStore
import WeftSync

/// The federation `weft demo` sets up in its work folder, the way operators would: a federation CA and one node
/// per platform, each with its own home, origin key, SQLite store and certificate from the certs/ scripts.
/// Every member's origin is on every node's roster; peering follows a sparse topology.
struct DemoFederation {
    /// One member node.
    struct Member {
        let name: String
        let home: NodeHome
        let key: OriginKey
        /// The SPKI pin of its TLS certificate.
        let pin: String
        /// Its store, opened by the demo process beside the node's own `weft serve` (SQLite WAL allows both).
        let store: NodeStore
    }

    let members: [Member]

    /// Creates the CA under `work/ca` and a node home under `work/nodes/NAME` for each name, configured to
    /// serve on 127.0.0.1 with ports the system chooses.
    static func create(
        names: [String], work: String, certs: CertificateScripts, pollInterval: Int,
        progress: (String) -> Void
    ) throws -> DemoFederation {
        let ca = (work as NSString).appendingPathComponent("ca")
        try certs.run("make-ca.sh", [ca, "Weft demo federation CA"])
        var members: [Member] = []
        for name in names {
            let path = (work as NSString).appendingPathComponent("nodes/\(name)")
            let (created, key) = try NodeHome.create(at: path, name: name)
            let tls = (path as NSString).appendingPathComponent("tls")
            try certs.run("issue-node.sh", [ca, tls, name, "--dns", "localhost", "--ip", "127.0.0.1"])
            try FileManager.default.copyItem(atPath: ca + "/ca.pem", toPath: tls + "/ca.pem")
            var config = created.config
            var server = ServerConfiguration()
            server.listen = "127.0.0.1:0"
            server.opsListen = "127.0.0.1:0"
            server.certificate = "tls/\(name).pem"
            server.privateKey = "tls/\(name).key"
            server.trustRoots = ["tls/ca.pem"]
            server.pollIntervalSeconds = pollInterval
            config.server = server
            let home = NodeHome(path: path, config: config)
            try home.save(config)
            let identity = try home.tlsIdentity(server)
            members.append(Member(name: name, home: home, key: key, pin: identity.pin.hex, store: try home.store()))
            progress("node \(members.count)/\(names.count) \(name): origin \(key.originID.hex.prefix(12))…")
        }
        return DemoFederation(members: members)
    }

    /// Puts every member's origin key on every other member's roster, as `weft origin add --card` would.
    func introduceOrigins() throws {
        for member in members {
            for other in members where other.name != member.name {
                _ = try member.store.addOrigin(name: other.name, publicKey: other.key.publicKey)
            }
        }
    }

    /// Adds each link in both directions, as `weft peer add --card` would: the other's name, sync URL, pin and
    /// origin key.
    func peer(_ links: [(Int, Int)], syncURLs: [String]) throws {
        for (x, y) in links {
            for (from, to) in [(x, y), (y, x)] {
                let other = members[to]
                _ = try members[from].store.addPeer(
                    NewPeer(name: other.name, url: syncURLs[to], spkiPin: other.pin, originKey: other.key.publicKey))
            }
        }
    }

    /// How far the federation is from every member holding every published federation feed up to `heads`.
    func progress(towards heads: [OriginID: Int]) throws -> (feedsHeld: Int, feedsWanted: Int, nodesDone: Int) {
        var held = 0
        var done = 0
        for member in members {
            var complete = true
            for (origin, seq) in heads {
                if let head = try member.store.head(origin: origin, channel: .federation), head.seq >= seq {
                    held += 1
                } else {
                    complete = false
                }
            }
            if complete { done += 1 }
        }
        return (held, heads.count * members.count, done)
    }
}
