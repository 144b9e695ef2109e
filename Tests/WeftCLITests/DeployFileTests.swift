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
        #expect(server.count == 13, "every option of the server section is in the example")
    }
}
