import ArgumentParser
import Foundation
import WeftAnalysis
import WeftCore
import WeftHashing

/// `weft bench pdq-index`: range search over many PDQ hashes, Weft's multi-index hashing against brute force
/// and against faiss (IndexBinaryFlat and IndexBinaryMultiHash) on the same hashes and queries, one core each.
struct BenchPDQIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdq-index",
        abstract: "PDQ range search over N hashes: Weft's index vs brute force vs faiss, same data, same run.",
        discussion: """
            Hashes: seeded random 256-bit values, one in ten a near copy (1–30 bits flipped) of an earlier one. \
            Queries: half are copies of stored hashes with 0–31 bits flipped, half random. Every engine answers every \
            query; the run fails unless all result sets are identical. faiss-cpu and numpy come from PyPI (installed \
            if missing). Use a release build.
            """)

    @Option(help: "Number of stored hashes.") var hashes = 10_000_000
    @Option(help: "Number of queries.") var queries = 1_000
    @Option(help: "Largest Hamming distance.") var maxDistance = 31
    @Option(help: "Queries for the (slow) brute-force scans.") var bruteQueries = 100
    @Option(help: "Seed for the hashes and queries.") var seed: UInt64 = 1
    @Flag(help: "Skip faiss (no Python).") var noReference = false

    func run() throws {
        try runReporting {
            var random = SeededRandom(seed: seed)
            func randomHash() -> PDQHash {
                PDQHash(words: (random.next(), random.next(), random.next(), random.next()))
            }
            func flipped(_ hash: PDQHash, _ bits: Int) -> PDQHash {
                var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
                var chosen: Set<Int> = []
                while chosen.count < bits { chosen.insert(Int(random.next() % 256)) }
                for bit in chosen { words[bit / 64] ^= 1 << UInt64(bit % 64) }
                return PDQHash(words: (words[0], words[1], words[2], words[3]))
            }
            benchProgress("generating \(hashes) hashes and \(queries) queries (seed \(seed))")
            var stored: [PDQHash] = []
            stored.reserveCapacity(hashes)
            for index in 0..<hashes {
                stored.append(
                    index > 0 && random.next() % 10 == 0
                        ? flipped(stored[Int(random.next() % UInt64(index))], 1 + Int(random.next() % 30))
                        : randomHash())
            }
            let probes = (0..<queries).map { index in
                index % 2 == 0
                    ? flipped(stored[Int(random.next() % UInt64(hashes))], Int(random.next() % 32)) : randomHash()
            }

            let clock = ContinuousClock()
            var index: PDQIndex!
            let build = clock.measure { index = PDQIndex(stored) }
            benchProgress("Weft index built in \(seconds(build)) s; querying")
            var weft: [[Int]] = []
            let search = clock.measure {
                weft = probes.map { index.search($0, maximumDistance: maxDistance).map(\.id).sorted() }
            }
            let brute = min(bruteQueries, queries)
            var scanned: [[Int]] = []
            let scan = clock.measure {
                scanned = probes.prefix(brute).map {
                    index.bruteForce($0, maximumDistance: maxDistance).map(\.id).sorted()
                }
            }
            guard Array(weft.prefix(brute)) == scanned else {
                throw CLIFailure("the index and the brute-force scan disagree: a bug")
            }
            let results = weft.reduce(0) { $0 + $1.count }
            var rows: [[String]] = [
                ["weft multi-index hashing (16×16 bits)", seconds(build), rate(queries, search), "\(results)"],
                ["weft brute force", "-", rate(brute, scan), "(first \(brute) agree)"],
            ]
            if !noReference {
                let reference = try faiss(stored, probes, brute: brute)
                for (name, entry) in [
                    ("faiss IndexBinaryFlat", reference.flat), ("faiss IndexBinaryMultiHash", reference.multiHash),
                ] {
                    guard entry.results == Array(weft.prefix(entry.results.count)) else {
                        throw CLIFailure("\(name) and Weft return different result sets")
                    }
                    rows.append([
                        name, String(format: "%.2f", entry.build), String(format: "%.0f", entry.rate),
                        "\(entry.results.reduce(0) { $0 + $1.count }) (identical to Weft's)",
                    ])
                }
            }
            print("\(hashes) hashes, \(queries) queries, distance ≤ \(maxDistance), one core each")
            print(renderTable(["ENGINE", "BUILD S", "QUERIES/S", "RESULTS"], rows))
        }
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", duration.inSeconds)
    }

    private func rate(_ count: Int, _ duration: Duration) -> String {
        let elapsed = duration.inSeconds
        return String(format: "%.0f", Double(count) / max(elapsed, 1e-9))
    }

    /// One faiss engine's figures and its sorted result ids per query.
    struct Reference: Decodable {
        struct Engine: Decodable {
            var build: Double
            var rate: Double
            var results: [[Int]]
        }
        var flat: Engine
        var multiHash: Engine

        enum CodingKeys: String, CodingKey {
            case flat
            case multiHash = "multi_hash"
        }
    }

    /// Runs faiss on the same hashes, written as 32 bytes each (big-endian words, as the hex form).
    private func faiss(_ stored: [PDQHash], _ probes: [PDQHash], brute: Int) throws -> Reference {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "weft-bench-pdq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func bytes(_ hashes: [PDQHash]) -> Data {
            var data = Data(capacity: hashes.count * 32)
            for hash in hashes {
                for word in [hash.words.0, hash.words.1, hash.words.2, hash.words.3] {
                    withUnsafeBytes(of: word.bigEndian) { data.append(contentsOf: $0) }
                }
            }
            return data
        }
        try bytes(stored).write(to: folder.appendingPathComponent("stored.bin"))
        try bytes(probes).write(to: folder.appendingPathComponent("queries.bin"))
        try Data(faissReferenceScript.utf8).write(to: folder.appendingPathComponent("faiss_bench.py"))
        benchProgress("faiss: building and querying (one thread)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", folder.appendingPathComponent("faiss_bench.py").path, folder.path, String(maxDistance),
            String(brute),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIFailure("the faiss reference failed (see above)") }
        return try JSONDecoder().decode(Reference.self, from: data)
    }
}
