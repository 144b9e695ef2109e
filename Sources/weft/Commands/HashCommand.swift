import ArgumentParser
import Foundation
import WeftCore
import WeftHashing

/// `weft hash …`: turn a platform's raw data into indicator values, as a stage of its own batch pipelines.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Hash raw data into indicator values: files or JSONL on stdin → JSONL on stdout.",
        discussion: """
            Streams in constant memory, so it can run inside Spark or Beam `pipe`, or `xargs -P`. Bad inputs are \
            reported on stderr with their line number (or file name) and make the exit status 65; good ones are \
            still written.
            """,
        subcommands: [
            HashImageCommand.self, HashTextCommand.self, HashURLCommand.self, HashAccountCommand.self,
            HashScheduleCommand.self,
        ]
    )
}

struct HashImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "PDQ (with quality), MD5 and SHA-256 of PNG and JPEG files, in parallel over cores.",
        discussion: """
            Input: file paths as arguments, or JSONL on stdin with {"path": …} and optionally {"id": …}. Output, one \
            line per input in input order: {"id","path","width","height","pdq","quality","pdq_problem","md5","sha256"} \
            (plus "dihedral" with --dihedral). A PDQ hash with pdq_problem set (quality < 50, degenerate) should \
            not be shared. EXIF orientation is not applied (docs/hashing.md).
            """
    )

    @Argument(help: "Image files. Without any, JSONL is read from standard input.")
    var files: [String] = []

    @Flag(help: "Also output the eight dihedral PDQ hashes (rotations and flips).")
    var dihedral = false

    @Option(help: "Refuse images with more pixels than this (decompression bombs), before decoding.")
    var maxPixels = ImageDecodingLimits.standard.maximumPixels

    @Option(help: "How many images to hash at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    struct Input: Sendable {
        var label: String
        var id: String?
        var path: String
    }

    func run() async throws {
        let limits = ImageDecodingLimits(maximumPixels: maxPixels)
        let dihedral = self.dihedral
        var failures = 0
        let inputs = inputStream()
        var inFlight = 0
        var nextToWrite = 0
        var finished: [Int: Result<String, HashFailure>] = [:]
        await withTaskGroup(of: (Int, Result<String, HashFailure>).self) { group in
            var index = 0
            func emit(_ result: Result<String, HashFailure>) {
                switch result {
                case .success(let line): print(line)
                case .failure(let failure):
                    failures += 1
                    printError(failure.message)
                }
            }
            while true {
                while inFlight < max(1, jobs), let next = inputs.next() {
                    let position = index
                    index += 1
                    inFlight += 1
                    switch next {
                    case .success(let input):
                        group.addTask { (position, Self.hash(input, limits: limits, dihedral: dihedral)) }
                    case .failure(let failure):
                        group.addTask { (position, .failure(failure)) }
                    }
                }
                guard let (position, result) = await group.next() else { break }
                inFlight -= 1
                finished[position] = result
                while let ready = finished.removeValue(forKey: nextToWrite) {
                    emit(ready)
                    nextToWrite += 1
                }
            }
        }
        if failures > 0 { throw ExitCode(ExitStatus.dataError) }
    }

    struct HashFailure: Error {
        var message: String
    }

    /// The inputs, lazily: arguments, or JSONL lines read one at a time from standard input.
    func inputStream() -> AnyIterator<Result<Input, HashFailure>> {
        if !files.isEmpty {
            var iterator = files.makeIterator()
            return AnyIterator { iterator.next().map { .success(Input(label: $0, id: nil, path: $0)) } }
        }
        var lineNumber = 0
        var lines = LineReader(handle: .standardInput)
        return AnyIterator {
            while let line = lines.next() {
                lineNumber += 1
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") })
                {
                    continue
                }
                do {
                    var reader = try FieldReader(try JSONParser.parse(line), record: "line \(lineNumber)")
                    let path = try reader.string("path")
                    let id = try reader.optionalString("id")
                    try reader.finish()
                    return .success(Input(label: "line \(lineNumber): \(path)", id: id, path: path))
                } catch let error as RecordError {
                    return .failure(HashFailure(message: "\(error)"))
                } catch {
                    return .failure(HashFailure(message: "line \(lineNumber): not JSON: \(error)"))
                }
            }
            return nil
        }
    }

    static func hash(_ input: Input, limits: ImageDecodingLimits, dihedral: Bool) -> Result<String, HashFailure> {
        guard let data = FileManager.default.contents(atPath: input.path) else {
            return .failure(HashFailure(message: "\(input.label): cannot read the file"))
        }
        do {
            let hashes = try ImageHashes(fileBytes: Array(data), limits: limits, dihedral: dihedral)
            var members: [String: JSONValue] = [
                "path": .string(input.path), "width": .integer(hashes.width), "height": .integer(hashes.height),
                "pdq": .string(hashes.pdq.hash.hex), "quality": .integer(hashes.pdq.quality),
                "md5": .string(hashes.md5), "sha256": .string(hashes.sha256),
                "pdq_problem": hashes.pdqProblem.map(JSONValue.string) ?? .null,
            ]
            if let id = input.id { members["id"] = .string(id) }
            if let variants = hashes.dihedral { members["dihedral"] = .array(variants.map { .string($0.hex) }) }
            return .success(try CanonicalJSON.string(.object(members)))
        } catch let error as ImageDecodingError {
            return .failure(HashFailure(message: "\(input.label): \(error.code.rawValue): \(error.message)"))
        } catch {
            return .failure(HashFailure(message: "\(input.label): \(error)"))
        }
    }
}
