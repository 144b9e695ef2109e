import Foundation
import Testing

/// The example production configuration in deploy/ is one `weft` accepts, with every server option in it.
@Suite struct DeployFileTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/config.example.json").path

    @Test func theExampleConfigurationIsAcceptedAndComplete() throws {
        let home = try WeftProcess.temporaryDirectory() + "/node"
        try expectOK(try WeftProcess.run(["init", "--home", home, "--name", "platform-a"]))
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: home + "/config.json")))
                as? [String: Any])
        var example = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.example)))
                as? [String: Any])
        example["origin"] = written["origin"]
        try JSONSerialization.data(withJSONObject: example).write(to: URL(fileURLWithPath: home + "/config.json"))
        let shown = try WeftProcess.run(["config", "show", "--home", home])
        try expectOK(shown)
        let server = try #require(
            (try JSONSerialization.jsonObject(with: shown.stdoutBytes) as? [String: Any])?["server"] as? [String: Any])
        #expect(Set(server.keys) == Set((example["server"] as? [String: Any] ?? [:]).keys))
        #expect(server.count == 14, "every option of the server section is in the example")
    }
}

/// deploy/federation-setup.sh, which the compose file runs before its three nodes start, run here with the
/// nodes on 127.0.0.1 instead of container names: the nodes it sets up serve, peer, and converge.
@Suite(.serialized) struct FederationSetupTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy/federation-setup.sh").path

    @Test func theComposeSetupMakesAFederationThatConverges() throws {
        let root = try WeftProcess.temporaryDirectory() + "/federation"
        let ports = try (0..<3).map { _ in try FederationLab.freePort() }
        let names = ["node-a", "node-b", "node-c"]
        let specs = zip(names, ports).map { "\($0)=https://127.0.0.1:\($1)" }
        let environment = [
            "WEFT": WeftProcess.binary, "WEFT_CERTS": CertificateScriptTests.certs, "OPS_LISTEN": "127.0.0.1:0",
        ]
        let setup = try CertificateScriptTests.run(Self.script, [root] + specs, environment: environment)
        try #require(setup.status == 0, "\(setup.stderr)")
        let again = try CertificateScriptTests.run(Self.script, [root] + specs, environment: environment)
        #expect(again.status == 0 && again.stdout.contains("already set up"))

        let nodes = names.enumerated().map { index, name in
            LabNode(name: name, home: "\(root)/\(name)", port: ports[index], pin: "")
        }
        defer { for node in nodes { node.stop() } }
        for node in nodes {
            #expect(try node.weft(["peer", "list", "--json"]).stdout.components(separatedBy: "\"name\"").count == 3)
            try node.start(extra: ["--poll-interval", "1"])
        }
        try nodes[0].publish(reports: 4, tag: "compose")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, try nodes.contains(where: { try $0.bundleCount() < 1 }) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(try nodes.allSatisfy { try $0.bundleCount() == 1 }, "every node holds node-a's bundle")

        let token = try String(contentsOfFile: root + "/analyst.token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("weft_"))
        let listed = try nodes[0].weft(["analyst", "list", "--json"])
        #expect(listed.stdout.contains("\"analyst\""))
    }
}
