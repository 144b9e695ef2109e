import ArgumentParser
import Foundation

/// The exit codes of `weft`, documented in docs/cli.md. They follow BSD sysexits where one fits.
enum ExitStatus {
    /// Success.
    static let ok: Int32 = 0
    /// Something failed that is not one of the cases below (a store error, an I/O error).
    static let failure: Int32 = 1
    /// The command line is wrong (ArgumentParser's own validation errors also exit 64).
    static let usage: Int32 = 64
    /// Input data was refused: a bad JSONL line, a rejected bundle, a store that failed verification.
    static let dataError: Int32 = 65
    /// The node home does not exist or is not initialised.
    static let noHome: Int32 = 66
    /// `weft init` would overwrite an existing home.
    static let homeExists: Int32 = 73
    /// A key file's permissions are too open.
    static let permission: Int32 = 77
}

/// A failure to report to the user: prints `weft: error: …` on standard error and exits with `status`.
struct CLIFailure: Error {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32 = ExitStatus.failure) {
        self.message = message
        self.status = status
    }
}

extension CLIFailure: CustomStringConvertible {
    /// The message alone, so that a failure quoted inside another message reads as text.
    var description: String { message }

    /// Reports the failure and converts it to ArgumentParser's exit.
    func exit() -> ExitCode {
        printError("error: \(message)")
        return ExitCode(status)
    }
}

/// Writes a line to standard error, prefixed with `weft: `.
func printError(_ line: String) {
    FileHandle.standardError.write(Data("weft: \(line)\n".utf8))
}

/// Runs a command body, turning a ``CLIFailure`` into its exit code and any other error into exit 1.
func runReporting(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CLIFailure {
        throw failure.exit()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw CLIFailure("\(error)").exit()
    }
}

/// ``runReporting(_:)`` for async command bodies.
func runReporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CLIFailure {
        throw failure.exit()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw CLIFailure("\(error)").exit()
    }
}
