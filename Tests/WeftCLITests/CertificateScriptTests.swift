import Foundation
import Testing
import WeftCore

/// The openssl scripts under certs/, run for real on fresh material every time.
@Suite struct CertificateScriptTests {
    static let certs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("certs").path

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: error, as: UTF8.self))
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func aNodeCertificateChainsToTheCAWithBothUsagesAndItsNames() throws {
        let root = try WeftProcess.temporaryDirectory()
        #expect(try Self.run(Self.certs + "/make-ca.sh", [root + "/ca", "Test CA"]).status == 0)
        #expect(try Self.mode(root + "/ca/ca.key") == 0o600)
        let issued = try Self.run(
            Self.certs + "/issue-node.sh",
            [
                root + "/ca", root + "/nodes", "alpha", "--dns", "alpha.test", "--dns", "localhost", "--ip",
                "127.0.0.1",
            ])
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(try Self.mode(root + "/nodes/alpha.key") == 0o600)
        let verified = try Self.run("openssl", ["verify", "-CAfile", root + "/ca/ca.pem", root + "/nodes/alpha.pem"])
        #expect(verified.stdout.contains("OK"))
        let text = try Self.run("openssl", ["x509", "-in", root + "/nodes/alpha.pem", "-noout", "-text"]).stdout
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(
            text.contains("DNS:alpha.test") && text.contains("DNS:localhost") && text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("ASN1 OID: prime256v1"))
        #expect(text.contains("CA:FALSE"))

        // The printed pin is the SHA-256 of the DER SubjectPublicKeyInfo (hashed here in Swift).
        let pin = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let publicKey = try Self.run("openssl", ["x509", "-in", root + "/nodes/alpha.pem", "-noout", "-pubkey"]).stdout
        try publicKey.write(toFile: root + "/alpha.pub.pem", atomically: true, encoding: .utf8)
        _ = try Self.run(
            "openssl",
            ["pkey", "-pubin", "-in", root + "/alpha.pub.pem", "-outform", "DER", "-out", root + "/alpha.spki"])
        let der = try Data(contentsOf: URL(fileURLWithPath: root + "/alpha.spki"))
        #expect(pin == Hex.sha256(der))
        #expect(try Self.run(Self.certs + "/spki-pin.sh", [root + "/nodes/alpha.pem"]).stdout.hasPrefix(pin))
    }

    @Test func anotherCAsCertificateDoesNotVerifyAndNothingIsOverwritten() throws {
        let root = try WeftProcess.temporaryDirectory()
        _ = try Self.run(Self.certs + "/make-ca.sh", [root + "/ours"])
        _ = try Self.run(Self.certs + "/make-ca.sh", [root + "/theirs"])
        _ = try Self.run(Self.certs + "/issue-node.sh", [root + "/theirs", root + "/nodes", "mallory"])
        let verified = try Self.run(
            "openssl", ["verify", "-CAfile", root + "/ours/ca.pem", root + "/nodes/mallory.pem"])
        #expect(verified.status != 0)
        let key = try String(contentsOfFile: root + "/ours/ca.key", encoding: .utf8)
        #expect(try Self.run(Self.certs + "/make-ca.sh", [root + "/ours"]).status == 73)
        #expect(try String(contentsOfFile: root + "/ours/ca.key", encoding: .utf8) == key)
        #expect(
            try Self.run(Self.certs + "/issue-node.sh", [root + "/theirs", root + "/nodes", "mallory"]).status == 73)
        #expect(try Self.run(Self.certs + "/issue-node.sh", [root + "/nowhere", root + "/nodes", "x"]).status == 66)
    }
}
