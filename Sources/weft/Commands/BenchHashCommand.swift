import ArgumentParser
import Foundation
import WeftCore
import WeftHashing

/// `weft bench`: measured figures, side by side with a reference tool run in the same invocation.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks against reference tools, on the same data, in the same run (use a release build).",
        subcommands: [
            BenchHashCommand.self, BenchTextCommand.self, BenchSyncCommand.self, BenchPropagationCommand.self,
            BenchMergeCommand.self, BenchPDQIndexCommand.self, BenchStoreCommand.self,
        ]
    )
}

struct BenchHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract:
            "PDQ hashes/s on one core for 512×512 and 1024×1024 in-memory images and decoded JPEGs, beside pdqhash.",
        discussion: """
            Weft and the PyPI package pdqhash hash the very same RGB pixels; the run also checks that both give the \
            same hash. pdqhash, numpy and Pillow are installed with pip if missing (--no-reference skips them).
            """
    )

    @Option(help: "The shared test data folder (with testdata/pdq).")
    var shared = "../shared"

    @Option(help: "Seconds to spend on each measurement.")
    var seconds = 3.0

    @Flag(help: "Measure Weft only.")
    var noReference = false

    @Flag(help: "Print the results as JSON.")
    var json = false

    struct Case {
        var label: String
        var image: RGBImage
        var jpeg: [UInt8]?
    }

    func run() throws {
        try runReporting {
            let pdq = URL(fileURLWithPath: shared).appendingPathComponent("testdata/pdq")
            func load(_ relative: String) throws -> [UInt8] {
                guard let data = FileManager.default.contents(atPath: pdq.appendingPathComponent(relative).path) else {
                    throw CLIFailure("cannot read \(relative) under \(pdq.path) (set --shared)", status: 66)
                }
                return Array(data)
            }
            let photo = try PNGDecoder.decode(try load("pixels/square-512x512.png"))
            let large = Self.upscale2x(photo)
            let bridge = try load("source/pdq/data/bridge-mods/aaa-orig.jpg")
            let square = try load("source/pdq/data/bridge-mods/square-512x512.jpg")
            let cases = [
                Case(label: "512x512 in memory", image: photo, jpeg: nil),
                Case(label: "1024x1024 in memory", image: large, jpeg: nil),
                Case(label: "decode+hash JPEG 512x512", image: try JPEGDecoder.decode(square), jpeg: square),
                Case(label: "decode+hash JPEG 1600x1004", image: try JPEGDecoder.decode(bridge), jpeg: bridge),
            ]
            var rows: [BenchRow] = []
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("weft-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            var referenceInputs: [JSONValue] = []
            for (index, item) in cases.enumerated() {
                printError("measuring weft: \(item.label)")
                let workspace = PDQWorkspace()
                let (rate, hash) = Self.measure(seconds: seconds) {
                    // The JPEG was decoded once above, so decoding cannot fail here.
                    let image = item.jpeg.map { try! JPEGDecoder.decode($0) } ?? item.image
                    return workspace.hash(image).hash
                }
                rows.append(BenchRow(label: item.label, weftPerSecond: rate, weftHash: hash.hex))
                let raw = work.appendingPathComponent("\(index).rgb")
                try Data(item.image.pixels).write(to: raw)
                var input: [String: JSONValue] = [
                    "raw": .string(raw.path), "width": .integer(item.image.width),
                    "height": .integer(item.image.height),
                ]
                if item.jpeg != nil {
                    let file = work.appendingPathComponent("\(index).jpg")
                    try Data(item.jpeg!).write(to: file)
                    input["jpeg"] = .string(file.path)
                }
                referenceInputs.append(.object(input))
            }
            if !noReference {
                let results = try Self.runReference(inputs: referenceInputs, seconds: seconds, work: work)
                for index in rows.indices where index < results.count {
                    rows[index].referencePerSecond = results[index].rate
                    rows[index].referenceHash = results[index].hash
                }
            }
            let (exact, total) = try Self.checkReferenceVectors(pdq)
            if json { return try printJSON(rows) }
            print("reference vectors bit-exact in this build: \(exact)/\(total) (hash, quality and 8 dihedrals)")
            print(
                renderTable(
                    ["CASE (one core)", "WEFT /s", "PDQHASH /s", "SPEEDUP", "SAME HASH"],
                    rows.map { row in
                        [
                            row.label, String(format: "%.0f", row.weftPerSecond),
                            row.referencePerSecond.map { String(format: "%.0f", $0) } ?? "-",
                            row.referencePerSecond.map { String(format: "%.1f×", row.weftPerSecond / $0) } ?? "-",
                            row.referenceHash.map { $0 == row.weftHash ? "yes" : "NO" } ?? "-",
                        ]
                    }))
            if exact != total {
                throw CLIFailure(
                    "this build is not bit-exact on \(total - exact) vector(s)", status: ExitStatus.dataError)
            }
            if rows.contains(where: { $0.referenceHash != nil && $0.referenceHash != $0.weftHash }) {
                throw CLIFailure("weft and pdqhash disagree on a hash", status: ExitStatus.dataError)
            }
        }
    }

    struct BenchRow: Encodable {
        var label: String
        var weftPerSecond: Double
        var weftHash: String
        var referencePerSecond: Double?
        var referenceHash: String?
    }

    /// Runs `body` repeatedly for about `seconds` on this thread; returns calls per second and the last result.
    static func measure(seconds: Double, _ body: () -> PDQHash) -> (Double, PDQHash) {
        var result = body()  // warm-up
        var count = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            result = body()
            count += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return (Double(count) / elapsed, result)
    }

    /// Hashes every `expected_pdq.csv` row that ships pixels with this very build (release, if that is what is being
    /// measured), and counts rows whose hash, quality and eight dihedral hashes all match.
    static func checkReferenceVectors(_ pdq: URL) throws -> (exact: Int, total: Int) {
        guard let data = FileManager.default.contents(atPath: pdq.appendingPathComponent("expected_pdq.csv").path)
        else {
            throw CLIFailure("cannot read expected_pdq.csv under \(pdq.path)", status: 66)
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        guard let header = lines.first else { return (0, 0) }
        func column(_ name: String) -> Int { header.firstIndex(of: name) ?? 0 }
        let dihedralColumns = [
            "dih_orig", "dih_rot90", "dih_rot180", "dih_rot270", "dih_flipx", "dih_flipy",
            "dih_flipplus1", "dih_flipminus1",
        ].map(column)
        var exact = 0
        var total = 0
        let workspace = PDQWorkspace()
        for fields in lines.dropFirst()
        where fields.count > dihedralColumns.max()! && !fields[column("pixels_png")].isEmpty {
            total += 1
            guard
                let bytes = FileManager.default.contents(
                    atPath: pdq.appendingPathComponent(fields[column("pixels_png")]).path),
                let image = try? PNGDecoder.decode(Array(bytes))
            else { continue }
            let single = workspace.hash(image)
            let dihedral = workspace.dihedralHashes(image)
            if single.hash.hex == fields[column("pdq_hex")], String(single.quality) == fields[column("quality")],
                dihedral.hashes.map(\.hex) == dihedralColumns.map({ fields[$0] })
            {
                exact += 1
            }
        }
        return (exact, total)
    }

    /// Nearest-neighbour 2× enlargement: real photo content at 1024×1024.
    static func upscale2x(_ image: RGBImage) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: image.width * 2 * image.height * 2 * 3)
        for y in 0..<(image.height * 2) {
            for x in 0..<(image.width * 2) {
                let source = ((y / 2) * image.width + x / 2) * 3
                let target = (y * image.width * 2 + x) * 3
                for channel in 0..<3 { pixels[target + channel] = image.pixels[source + channel] }
            }
        }
        return RGBImage(width: image.width * 2, height: image.height * 2, pixels: pixels)
    }

    static func runReference(inputs: [JSONValue], seconds: Double, work: URL) throws -> [(rate: Double, hash: String)] {
        let script = work.appendingPathComponent("pdqhash_reference.py")
        try pdqhashReferenceScript.write(to: script, atomically: true, encoding: .utf8)
        let spec = work.appendingPathComponent("inputs.json")
        try Data(try CanonicalJSON.encode(.object(["seconds": .number(seconds), "inputs": .array(inputs)]))).write(
            to: spec)
        printError("measuring pdqhash (installing numpy, Pillow, pdqhash with pip if missing)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, spec.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let rows = (try? JSONParser.parse(Array(data), options: .anyFiniteNumber))?.arrayValue
        else { throw CLIFailure("the pdqhash reference run failed (exit \(process.terminationStatus))") }
        return rows.map { row in
            (row.objectValue?["rate"]?.numberValue ?? 0, row.objectValue?["hash"]?.stringValue ?? "")
        }
    }
}
