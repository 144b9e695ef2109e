import Foundation
import TestScratch
import Testing

/// A node holding a whole federation's feeds, made once per test run by `weft demo --tier tiny` (real nodes,
/// real sync), then served again by a `weft serve` of its own for each test, with an analyst token.
final class AnalystNode {
    /// The home of the demo's first node (every node of the demo ends with the same data).
    static let home: Result<String, any Error> = Result {
        let work = try WeftProcess.temporaryDirectory() + "/demo"
        let result = try WeftProcess.run([
            "demo", "--tier", "tiny", "--seed", "3", "--workdir", work, "--certs", CertificateScriptTests.certs,
        ])
        guard result.status == 0 else { throw TestFailure("weft demo failed: \(result.stderr)") }
        let nodes = try FileManager.default.contentsOfDirectory(atPath: work + "/nodes").sorted()
        return work + "/nodes/" + nodes[0]
    }

    let home: String
    let process: Process
    /// `http://127.0.0.1:PORT` of its operations listener (API and dashboard).
    let base: String
    /// A token made by `weft analyst add`.
    let token: String

    /// Where the server's standard error (its log) goes.
    let log = TestScratch.path("weft-serve", suffix: ".log")

    /// Serves `home`, or the shared demo node when nil, with `options` added to `weft serve`'s (e.g. a log level).
    init(home given: String? = nil, options: [String] = []) throws {
        home = try given ?? Self.home.get()
        let added = try WeftProcess.run(["analyst", "add", "--home", home, "analyst-\(UUID().uuidString.prefix(8))"])
        try #require(added.status == 0, "\(added.stderr)")
        token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let out = TestScratch.path("weft-serve", suffix: ".out")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: WeftProcess.binary)
        process.arguments =
            [
                "serve", "--home", home, "--listen", "127.0.0.1:0", "--ops-listen", "127.0.0.1:0", "--poll-interval",
                "3600",
            ] + (options.contains("--log-level") ? [] : ["--log-level", "error"]) + options
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        var found: String?
        let deadline = Date().addingTimeInterval(30)
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").first { $0.hasPrefix("ops listening on ") }.map {
                String($0.dropFirst("ops listening on ".count))
            }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            process.terminate()
            throw TestFailure("weft serve did not announce its ops listener")
        }
        base = found
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: log)
    }

    /// GETs `path` with curl; the token is sent unless `authorised` is false.
    func get(_ path: String, authorised: Bool = true, token other: String? = nil) throws -> (status: Int, body: Data) {
        let bodyPath = TestScratch.path("weft-http")
        defer { try? FileManager.default.removeItem(atPath: bodyPath) }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var arguments = ["-s", "-o", bodyPath, "-w", "%{http_code}", base + path]
        if authorised { arguments += ["-H", "Authorization: Bearer \(other ?? token)"] }
        curl.arguments = arguments
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let code = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return (
            Int(String(decoding: code, as: UTF8.self)) ?? -1, FileManager.default.contents(atPath: bodyPath) ?? Data()
        )
    }

    /// GETs `path` and parses the JSON answer, requiring 200.
    func json(_ path: String) throws -> Any {
        let (status, body) = try get(path)
        try #require(status == 200, "\(path): \(status) \(String(decoding: body, as: UTF8.self))")
        return try JSONSerialization.jsonObject(with: body)
    }
}

/// A failure in test set-up.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
