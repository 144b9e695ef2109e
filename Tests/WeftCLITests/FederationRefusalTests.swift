import Foundation
import Testing

/// Who a node refuses, and how: at the TLS layer (certificate from another CA, expired, none at all) or at the
/// trust table (unknown pin, suspended, revoked — audited, and effective on a live connection). Every refusal is
/// checked from the caller's side by reading, because TLS 1.3 tells a rejected client only on its first read.
@Suite(.serialized) struct FederationRefusalTests {
    @Test func certificatesTheTLSLayerMustRefuse() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let otherCA = lab.root + "/other-ca"
        #expect(try CertificateScriptTests.run(CertificateScriptTests.certs + "/make-ca.sh", [otherCA]).status == 0)
        let foreign = try lab.node("foreign", ca: otherCA)
        let expired = try lab.node("expired", days: -1)
        // A even lists both as peers: the refusal must come from certificate validation, not from the table.
        try lab.link(a, foreign)
        try lab.link(a, expired)
        try a.publish(reports: 5, tag: "x")
        try a.start()
        var before = try a.status(checksums: true)["checksums"] as? [String: String]
        before?["audit"] = nil

        for caller in [foreign, expired] {
            let (result, rows) = try caller.syncOnce(peer: "alpha")
            #expect(result.status == 1, "\(caller.name) must not get through")
            #expect((rows.first?["error"] as? String)?.contains("connection failed") == true, "\(rows)")
            #expect(try caller.bundleCount() == 0)
        }
        // The same refusals seen by an independent client, plus one with no client certificate at all.
        let unknownCA = try openssl(a, certificate: foreign)
        #expect(unknownCA.contains("alert unknown ca") || unknownCA.contains("alert bad certificate"), "\(unknownCA)")
        let expiredAlert = try openssl(a, certificate: expired)
        #expect(expiredAlert.contains("alert certificate expired"), "\(expiredAlert)")
        let none = try openssl(a, certificate: nil)
        #expect(none.contains("alert certificate required"), "\(none)")
        #expect(!unknownCA.contains("HTTP/1.1") && !expiredAlert.contains("HTTP/1.1") && !none.contains("HTTP/1.1"))
        var after = try a.status(checksums: true)["checksums"] as? [String: String]
        after?["audit"] = nil
        #expect(after == before)

        // Each refused handshake is audited (written off the event loop, so give it a moment).
        var refused: [[String: Any]] = []
        for _ in 0..<50 {
            refused = try a.audit().filter { $0["reason"] as? String == "tls-handshake" }
            if refused.count >= 5 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(refused.count >= 5, "two weft callers and three openssl runs: \(refused)")
        #expect(refused.allSatisfy { ($0["subject"] as? String)?.contains("127.0.0.1") == true }, "\(refused)")
        let details = refused.compactMap { $0["detail"] as? String }.joined(separator: "\n")
        #expect(details.contains("CERTIFICATE_VERIFY_FAILED"), "\(details)")
        #expect(details.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"), "\(details)")
        a.stop()
    }

    @Test func theTrustTableRefusesUnknownSuspendedAndRevokedPeersEvenOnALiveConnection() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let s = try lab.node("sierra")
        let r = try lab.node("romeo")
        let outsider = try lab.node("outsider")  // a good certificate from the federation CA, but not A's peer
        try lab.link(a, s)
        try lab.link(a, r)
        try outsider.trust(a)
        try a.publish(reports: 5, tag: "x")
        try a.start()

        // Unknown pin: refused with 403 (curl, an independent client), and audited with the pin.
        let curl = try CertificateScriptTests.run(
            "curl",
            [
                "-sS", "--cacert", a.home + "/tls/ca.pem", "--cert", outsider.home + "/tls/node.pem", "--key",
                outsider.home + "/tls/node.key", "-w", "\n%{http_code}", a.url + "/sync/v1/heads",
            ])
        #expect(curl.stdout.hasSuffix("\n403"), "\(curl.stdout) \(curl.stderr)")
        #expect(try outsider.syncOnce(peer: "alpha").result.status == 1)

        // Suspended: refused until resumed, without restarting A.
        try expectOK(try a.weft(["peer", "suspend", "sierra", "--reason", "maintenance window"]))
        let suspended = try s.syncOnce(peer: "alpha")
        #expect(suspended.result.status == 1)
        #expect((suspended.rows.first?["error"] as? String)?.contains("HTTP 403") == true)
        try expectOK(try a.weft(["peer", "resume", "sierra"]))
        try expectOK(try s.syncOnce(peer: "alpha").result)
        #expect(try s.bundleCount() == 1)

        // Revoked while romeo holds an open connection: the next request on that same connection is refused.
        let session = try OpenSSLSession(a, certificate: r)
        let request = "GET /sync/v1/heads HTTP/1.1\r\nHost: alpha\r\n\r\n"
        session.send(request)
        #expect(session.waitFor("HTTP/1.1 200", count: 1))
        try expectOK(try a.weft(["peer", "revoke", "romeo", "--reason", "contract ended"]))
        session.send(request)
        #expect(session.waitFor("HTTP/1.1 403", count: 1), "\(session.output)")
        session.close()
        let origins = try WeftProcess.json(try a.weft(["origin", "list", "--json"])) as? [[String: Any]] ?? []
        #expect(origins.first { $0["name"] as? String == "romeo" }?["status"] as? String == "revoked")
        #expect(try a.weft(["peer", "resume", "romeo"]).status == 64, "a revoked peer cannot be resumed")

        let refusals = try a.audit().filter { $0["outcome"] as? String == "refused" }
        let reasons = Set(refusals.map { "\($0["reason"] ?? "") \($0["subject"] ?? "")" })
        #expect(reasons.contains("unknown-peer \(outsider.pin)"))
        #expect(reasons.contains("peer-suspended sierra"))
        #expect(reasons.contains("peer-revoked romeo"))
        let changes = try a.audit().filter { $0["outcome"] as? String == "changed" }.compactMap {
            $0["action"] as? String
        }
        for action in ["peer.suspended", "peer.active", "peer.revoked", "origin.revoked"] {
            #expect(changes.contains(action), "\(action) audited")
        }
        a.stop()
    }

    /// A running node that suspends a peer stops pulling from it and refuses its notices; resuming it, without a
    /// restart, brings the peer's new bundles in.
    @Test func aRunningNodeResumesPullingFromAPeerItResumes() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha", notify: true, poll: 1)
        let b = try lab.node("bravo", notify: true, poll: 1)
        try lab.link(a, b)
        try a.start()
        try b.start()
        try expectOK(try b.weft(["peer", "suspend", "alpha"]))
        try a.publish(reports: 2, tag: "while-suspended")
        Thread.sleep(forTimeInterval: 3)  // several poll rounds and a notice
        #expect(try b.bundleCount() == 0, "nothing is pulled from a suspended peer")
        try expectOK(try b.weft(["peer", "resume", "alpha"]))
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, try b.bundleCount() < 1 { Thread.sleep(forTimeInterval: 0.2) }
        #expect(try b.bundleCount() == 1, "pulling resumed without a restart")
        a.stop()
        b.stop()
    }

    /// A peer over its rate limit gets 429 until its bucket refills; the refusal is counted, not audited.
    @Test func aPeerOverItsRateLimitGets429() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let b = try lab.node("bravo")
        try lab.link(a, b)
        try expectOK(try a.weft(["config", "server", "--rate-limit", "1", "--rate-burst", "2"]))
        try a.start()
        // Six requests on one keep-alive connection, in well under the second a token takes to come back.
        let url = a.url + "/sync/v1/heads"
        let run = try CertificateScriptTests.run(
            "curl",
            [
                "-sS", "--cacert", a.home + "/tls/ca.pem", "--cert", b.home + "/tls/node.pem", "--key",
                b.home + "/tls/node.key", "-w", "%{http_code}\n",
            ] + Array(repeating: ["-o", "/dev/null", url], count: 6).flatMap { $0 })
        let codes = run.stdout.split(separator: "\n").map(String.init)
        #expect(codes.count == 6 && codes.prefix(2) == ["200", "200"], "\(codes) \(run.stderr)")
        #expect(codes.filter { $0 == "429" }.count >= 3, "\(codes)")
        let metrics = try CertificateScriptTests.run(
            "curl", ["-sS", "http://127.0.0.1:\(try #require(a.opsPort))/metrics"]
        ).stdout
        #expect(metrics.contains(#"weft_sync_refused_total{reason="rate-limited"}"#))
        a.stop()
    }

    /// Malformed requests from an active peer get 400 with a reason and change nothing.
    @Test func malformedRequestsAreRefusedWithAReasonAndChangeNothing() throws {
        let lab = try FederationLab()
        let a = try lab.node("alpha")
        let b = try lab.node("bravo")
        try lab.link(a, b)
        try a.publish(reports: 3, tag: "x")
        try a.start()
        let before = try a.status(checksums: true)["checksums"] as? [String: String]
        let auditBefore = try a.audit().count
        let origin = try #require(try a.status()["node"] as? String)
        let credentials = [
            "-sS", "--cacert", a.home + "/tls/ca.pem", "--cert", b.home + "/tls/node.pem", "--key",
            b.home + "/tls/node.key", "-w", "\n%{http_code}",
        ]
        let requests: [([String], String)] = [
            (["\(a.url)/sync/v1/feeds/not-an-origin/federation"], "origin"),
            (["\(a.url)/sync/v1/feeds/\(origin)/Bad%20Channel"], "channel"),
            (["\(a.url)/sync/v1/feeds/\(origin)/federation?after=-1"], "after"),
            (["\(a.url)/sync/v1/feeds/\(origin)/federation?limit=many"], "limit"),
            (["\(a.url)/sync/v1/bundles/xyz"], "id"),
            (["-X", "POST", "--data", "{not json", "\(a.url)/sync/v1/notify"], "notify"),
            (
                [
                    "-X", "POST", "--data", #"{"origin":"\#(origin)","channel":"federation","seq":1,"x":1}"#,
                    "\(a.url)/sync/v1/notify",
                ], "notify"
            ),
            (["-X", "POST", "--data", String(repeating: "a", count: 10_000), "\(a.url)/sync/v1/notify"], ""),
        ]
        for (arguments, mentions) in requests {
            let run = try CertificateScriptTests.run("curl", credentials + arguments)
            let lines = run.stdout.split(separator: "\n")
            let status = lines.last.map(String.init) ?? ""
            #expect(status == "400" || (mentions.isEmpty && status == "413"), "\(arguments.last!): \(run.stdout)")
            if !mentions.isEmpty {
                #expect(run.stdout.contains(mentions), "the reason names \(mentions): \(run.stdout)")
            }
        }
        #expect(try a.status(checksums: true)["checksums"] as? [String: String] == before)
        #expect(try a.audit().count == auditBefore)
        a.stop()
    }

    /// Runs `openssl s_client` against `node` with `certificate`'s key pair (or none), sends one request, and
    /// returns everything it printed.
    private func openssl(_ node: LabNode, certificate: LabNode?) throws -> String {
        let session = try OpenSSLSession(node, certificate: certificate)
        session.send("GET /sync/v1/heads HTTP/1.1\r\nHost: alpha\r\n\r\n")
        _ = session.waitFor("alert", count: 1, timeout: 10)
        session.close()
        return session.output
    }
}

/// An interactive `openssl s_client` connection (TLS 1.3 only), fed line by line from the test.
final class OpenSSLSession {
    private let process = Process()
    private let input = Pipe()
    private let outputPath: String

    init(_ server: LabNode, certificate: LabNode?) throws {
        outputPath = server.home + "/s_client-\(UUID().uuidString).out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        var arguments = [
            "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_3", "-CAfile", server.home + "/tls/ca.pem",
            "-quiet",
        ]
        if let certificate {
            arguments += ["-cert", certificate.home + "/tls/node.pem", "-key", certificate.home + "/tls/node.key"]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
    }

    func send(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits until `text` has appeared `count` more times than now, or the process ended, or `timeout` passed.
    func waitFor(_ text: String, count: Int, timeout: TimeInterval = 20) -> Bool {
        let start = output.components(separatedBy: text).count - 1
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.components(separatedBy: text).count - 1 >= start + count { return true }
            if !process.isRunning { return output.components(separatedBy: text).count - 1 >= start + count }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    func close() {
        try? input.fileHandleForWriting.close()
        // -quiet implies -ign_eof: s_client would wait for the server to close the idle connection.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
