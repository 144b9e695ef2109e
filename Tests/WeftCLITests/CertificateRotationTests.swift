import Foundation
import Testing

/// The two ways to rotate a node's TLS certificate (docs/operator-guide.md): renewing it for the same key keeps
/// the pin, so peers do nothing; a new key changes the pin, which each peer must `weft peer rebind` to.
@Suite(.serialized) struct CertificateRotationTests {
    @Test func renewingKeepsThePinAndANewKeyNeedsARebind() throws {
        let lab = try FederationLab()
        let a = try lab.node("a")
        let b = try lab.node("b")
        try lab.link(a, b)
        try a.start()
        try a.publish(reports: 3, tag: "before")
        try expectOK(try b.syncOnce().result)
        #expect(try b.bundleCount() == 1)

        // Renewal: a fresh certificate for the same key.
        let renewed = try CertificateScriptTests.run(
            CertificateScriptTests.certs + "/issue-node.sh",
            [lab.caDirectory, a.home + "/tls", "node", "--ip", "127.0.0.1", "--renew"])
        try #require(renewed.status == 0, "\(renewed.stderr)")
        #expect(renewed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == a.pin)
        #expect(
            FileManager.default.contents(atPath: a.home + "/tls/node.pem")
                != FileManager.default.contents(atPath: a.home + "/tls/node.pem.old"))
        a.stop()
        try a.start()
        try a.publish(reports: 3, tag: "renewed")
        try expectOK(try b.syncOnce().result)
        #expect(try b.bundleCount() == 2, "a renewed certificate needs nothing from peers")

        // A new key: b refuses the new pin until an administrator rebinds the peer.
        a.stop()
        for file in ["node.key", "node.pem"] {
            try FileManager.default.moveItem(atPath: "\(a.home)/tls/\(file)", toPath: "\(a.home)/tls/\(file).retired")
        }
        let rotated = try CertificateScriptTests.run(
            CertificateScriptTests.certs + "/issue-node.sh",
            [lab.caDirectory, a.home + "/tls", "node", "--ip", "127.0.0.1"])
        try #require(rotated.status == 0, "\(rotated.stderr)")
        let newPin = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newPin != a.pin)
        try a.start()
        try a.publish(reports: 3, tag: "rotated")
        let refused = try b.syncOnce()
        #expect(refused.result.status != 0)
        #expect(refused.result.stdout.contains("pin") || refused.result.stderr.contains("pin"))
        #expect(try b.bundleCount() == 2, "nothing comes from a key b does not know")

        try expectOK(try b.weft(["peer", "rebind", "a", "--pin", newPin]))
        try expectOK(try b.syncOnce().result)
        #expect(try b.bundleCount() == 3)
        let rebinds = try b.audit().filter { $0["action"] as? String == "peer.rebind" }
        #expect(rebinds.count == 1)
        let detail = rebinds.first?["detail"] as? String ?? ""
        #expect(detail.contains(newPin))

        let bad = try b.weft(["peer", "rebind", "a", "--pin", "not-a-pin"])
        #expect(bad.status == 64 && bad.stderr.contains("64 hex digits"))
        a.stop()
    }
}
