import ArgumentParser
import Foundation
import WeftCore
import WeftHashing

/// Reads JSONL from the given files (or standard input), transforms each line, writes JSONL; bad lines go to
/// standard error with their line number, and make the exit status 65.
struct JSONLPipeline {
    var files: [String]

    /// Runs `transform` on every record and prints its output as a line; a nil output prints nothing (a filter).
    /// Bad lines are reported with their line number, the others still run; any bad line makes the exit 65.
    func run(_ transform: (inout FieldReader) throws -> [String: JSONValue]?) throws {
        try run { fields, _ in try transform(&fields) }
    }

    /// ``run(_:)`` that also hands `transform` the record's `id`, if it has one.
    func run(_ transform: (inout FieldReader, String?) throws -> [String: JSONValue]?) throws {
        var failures = 0
        let sources = files.isEmpty ? ["-"] : files
        for source in sources {
            guard let handle = source == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: source) else {
                throw CLIFailure("cannot read \(source)", status: ExitStatus.noHome)
            }
            var lineNumber = 0
            var reader = LineReader(handle: handle)
            while let line = reader.next() {
                lineNumber += 1
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
                let label = sources.count > 1 ? "\(source): line \(lineNumber)" : "line \(lineNumber)"
                do {
                    var fields = try FieldReader(try JSONParser.parse(line), record: label)
                    let id = try fields.optionalString("id")
                    let result = try transform(&fields, id)
                    try fields.finish()
                    guard var output = result else { continue }
                    if let id { output["id"] = .string(id) }
                    print(try CanonicalJSON.string(.object(output)))
                } catch let error as RecordError {
                    failures += 1
                    printError(error.description)
                } catch let error as JSONError {
                    failures += 1
                    printError("\(label): not JSON: \(error)")
                } catch {
                    failures += 1
                    printError("\(label): \(error)")
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.dataError) }
    }
}

/// Reads lines from a file handle in chunks, so input of any size streams in constant memory.
struct LineReader {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    init(handle: FileHandle) { self.handle = handle }

    mutating func next() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { finished = true } else { buffer += chunk }
        }
    }
}

/// Options for commands that need the federation key.
struct FederationKeyOption: ParsableArguments {
    @Option(help: "The federation key file (weft federation-key generate); mode 0600.")
    var federationKeyFile: String

    func load() throws -> FederationKey { try Self.load(federationKeyFile) }

    /// Reads a federation key file, mapping a too-open file to exit 77.
    static func load(_ path: String) throws -> FederationKey {
        do { return try FederationKey.read(from: path) } catch {
            throw CLIFailure(
                error.description, status: error.reason.contains("chmod") ? ExitStatus.permission : ExitStatus.failure)
        }
    }
}

struct HashTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "text.sha256 and keyed text.minhash of posts: {\"text\"} lines → {\"sha256\",\"minhash\"}.",
        discussion: "The text itself is never written out. Normalisation rules: docs/hashing.md."
    )

    @OptionGroup var key: FederationKeyOption
    @Argument(help: "JSONL files (default: standard input).") var files: [String] = []

    func run() throws {
        try runReporting {
            let hasher = MinHasher(key: try key.load())
            try JSONLPipeline(files: files).run { fields in
                let fingerprint = TextFingerprint(text: try fields.string("text"), hasher: hasher)
                return ["sha256": .string(fingerprint.sha256), "minhash": .string(fingerprint.minHash.hex)]
            }
        }
    }
}

struct HashURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract:
            "Canonical url and registrable domain: {\"url\"} lines (defanged forms accepted) → {\"url\",\"domain\"}."
    )

    @Option(help: "The Public Suffix List file.") var publicSuffixList = PublicSuffixList.debianPath
    @Argument(help: "JSONL files (default: standard input).") var files: [String] = []

    func run() throws {
        try runReporting {
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            try JSONLPipeline(files: files).run { fields in
                let text = try fields.string("url")
                do {
                    let canonical = try canonicalizer.canonicalize(text)
                    return ["url": .string(canonical.url), "domain": canonical.domain.map(JSONValue.string) ?? .null]
                } catch let error as URLCanonicalizationError { throw fields.error("url", error.message) }
            }
        }
    }
}

struct HashAccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Keyed account and handle values and handle shape: {\"account\",\"platform\"?} lines.",
        discussion: "account may be a handle, a numeric id or a profile URL. Emails, phone numbers and IPs are refused."
    )

    @OptionGroup var key: FederationKeyOption
    @Argument(help: "JSONL files (default: standard input).") var files: [String] = []

    func run() throws {
        try runReporting {
            let federationKey = try key.load()
            try JSONLPipeline(files: files).run { fields in
                let text = try fields.string("account")
                let platform = try fields.optionalString("platform")
                do {
                    let reference = try AccountReference(platform: platform, text: text)
                    return [
                        "platform": .string(reference.platform),
                        "account": .string(reference.accountValue(key: federationKey)),
                        "handle": .string(reference.handleValue(key: federationKey)),
                        "handle_shape": .string(reference.shape),
                    ]
                } catch let error as AccountReferenceError { throw fields.error("account", error.message) }
            }
        }
    }
}

struct HashScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract:
            "Hour-of-week schedule fingerprint of a case: {\"case\",\"post_times\":[[unix seconds…] per account]}.",
        discussion: "Refused for fewer than 10 accounts with posts. Also reports the best-fit office UTC offset."
    )

    @Argument(help: "JSONL files (default: standard input).") var files: [String] = []

    func run() throws {
        try runReporting {
            try JSONLPipeline(files: files).run { fields in
                let caseID = try fields.string("case")
                var accounts: [[Int64]] = []
                for (index, value) in try fields.array("post_times").enumerated() {
                    guard let times = value.arrayValue?.compactMap({ $0.numberValue.map { Int64($0) } }),
                        times.count == value.arrayValue?.count
                    else { throw fields.error("post_times[\(index)]", "expected an array of Unix times in seconds") }
                    accounts.append(times)
                }
                do {
                    let fingerprint = try ScheduleFingerprint(postTimesByAccount: accounts)
                    let fit = fingerprint.officeFit
                    return [
                        "case": .string(caseID), "schedule": .string(fingerprint.hex),
                        "utc_offset": .integer(fit.utcOffset),
                        "office_share": .number((fit.officeShare * 1000).rounded() / 1000),
                        "meal_break_gap": .number((fit.mealBreakGap * 1000).rounded() / 1000),
                    ]
                } catch let error as ScheduleError { throw fields.error("post_times", error.message) }
            }
        }
    }
}

struct FederationKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "federation-key",
        abstract: "Create the federation's shared secret (once, by the founding member; share it out of band).",
        subcommands: [FederationKeyGenerateCommand.self]
    )
}

struct FederationKeyGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a new random federation key (mode 0600).")

    @Argument(help: "The file to create; never overwritten.") var file: String

    func run() throws {
        try runReporting {
            do { try FederationKey.generate().write(to: file) } catch let error as OriginKeyError {
                throw CLIFailure(error.description)
            }
            print("wrote a new federation key to \(file)")
        }
    }
}
