import Foundation
import TestScratch
import Testing

/// Runs the built `weft` binary as a subprocess, as a user or a batch job would.
struct WeftProcess {
    /// The `weft` binary next to the test bundle in the build products directory.
    static let binary: String = {
        if let override = ProcessInfo.processInfo.environment["WEFT_BINARY"] { return override }
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [testBundle, testBundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("weft").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for bundle in Bundle.allBundles {
            let path = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("weft").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return testBundle.appendingPathComponent("weft").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    /// Runs `weft ARGS` to completion.
    @discardableResult
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["WEFT_HOME"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files, not pipes, so a large output can never block the child.
        let outPath = TestScratch.path("weft-out")
        let errPath = outPath + ".err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let outData = FileManager.default.contents(atPath: outPath) ?? Data()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: outData)
    }

    /// Starts `weft ARGS`, lets it run for `seconds`, then kills it with SIGKILL (no chance to clean up).
    static func kill(_ arguments: [String], after seconds: Double) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: seconds)
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        try TestScratch.directory("weft-cli")
    }

    /// Parses JSON output.
    static func json(_ result: Result) throws -> Any {
        try JSONSerialization.jsonObject(with: result.stdoutBytes)
    }
}
