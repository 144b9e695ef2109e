import Foundation

/// The certs/ scripts (make-ca.sh, issue-node.sh), which commands that build nodes on one machine run exactly as
/// an operator would (docs: certs/README.md).
struct CertificateScripts {
    /// The folder holding the scripts.
    let directory: String

    /// The folder given, or else the first of ./certs and the certs/ folder of the checkout the `weft` binary was
    /// built in (`.build/release/weft` → `certs/`) that holds make-ca.sh.
    static func locate(_ given: String?) throws -> CertificateScripts {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates =
            given.map { [$0] }
            ?? [
                "certs", executable.appendingPathComponent("../../certs").standardized.path,
                executable.appendingPathComponent("../../../certs").standardized.path,
            ]
        for candidate in candidates
        where FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("make-ca.sh")) {
            return CertificateScripts(directory: candidate)
        }
        throw CLIFailure(
            "cannot find the certs/ scripts (looked in \(candidates.joined(separator: ", "))); pass --certs DIR",
            status: ExitStatus.usage)
    }

    /// Runs one script with bash; its standard output is returned, its standard error passed through.
    @discardableResult
    func run(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [(directory as NSString).appendingPathComponent(name)] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIFailure("\(directory)/\(name) \(arguments.joined(separator: " ")) failed")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
