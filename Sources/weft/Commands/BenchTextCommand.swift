import ArgumentParser
import Foundation
import WeftHashing

struct BenchTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract:
            "Recall and false-positive rate of text near-duplicate matching on a generated corpus of edited copies.",
        discussion: """
            Each post (50–300 characters, English and Chinese) gets one edited copy; every copy is queried against \
            every original through MinHash LSH. Recall: the copy finds its original. False positives: it finds any \
            other original. Also reports signatures per second on one core.
            """
    )

    @Option(help: "Posts per language.")
    var posts = 5_000

    @Option(help: "The corpus seed.")
    var seed: UInt64 = 20_231

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        try runReporting {
            let hasher = MinHasher(key: FederationKey.generate())
            printError("generating \(2 * posts) posts with edited copies (seed \(seed))")
            let corpus = EditedCopyCorpus(perLanguage: posts, seed: seed)
            let start = DispatchTime.now().uptimeNanoseconds
            let evaluation = NearDuplicateEvaluation(corpus: corpus, hasher: hasher, thresholds: [0.5, 0.6, 0.7])
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(4 * posts) / seconds
            if json { return try printJSON(evaluation.outcomes) }
            print(
                renderTable(
                    ["THRESHOLD", "RECALL", "FALSE POSITIVES", "OF PAIRS", "FP RATE"],
                    evaluation.outcomes.map {
                        [
                            String(format: "%.1f", $0.threshold), String(format: "%.4f", $0.recall),
                            "\($0.falsePositives)",
                            "\($0.negativePairs)", String(format: "%.6f%%", 100 * $0.falsePositiveRate),
                        ]
                    }))
            print(
                "recall at 0.5 by language: "
                    + evaluation.recallByLanguage.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(String(format: "%.4f", $0.value))" }.joined(separator: ", "))
            print(
                String(format: "%.0f texts normalised, signed and queried per second (one core, including LSH)", rate))
        }
    }
}
