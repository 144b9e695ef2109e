import ArgumentParser
import Foundation
import WeftAnalysis
import WeftCore
import WeftHashing
import WeftIngest
import WeftStore

/// `weft match`: a platform's own content and accounts against everything the federation reported.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a platform's own posts and accounts (JSONL) against the merged view: a review queue.",
        discussion: """
            Each input line is a post {"id","text"?,"links"?,"media"?} or an account {"id","handle","platform"?} \
            (the formats of a `weft simulate` export; media names are files in --media-dir). Everything is hashed \
            here, as `weft ingest` would (keyed with the federation key), and matched: exact texts, links, \
            domains, hashtags, file digests, keyed accounts and handles; pictures within --max-distance in any of \
            their eight rotations and mirror images; texts with a keyed MinHash similarity of at least \
            --min-similarity. For every record with a hit one line is printed: {"id","priority","hits":[…]}, each \
            hit with the reported value, how closely it matched, the origins, cases, labels, confidence and \
            operations behind it. Values less exclusive to flagged accounts than the merge's threshold (0.4: content \
            that spreads among ordinary users) are not hits. priority = the largest closeness × exclusivity × \
            confidence/100 of its hits, doubled for a hit in an operation. Nothing is published and nothing leaves the node. With --confirm ID (repeatable) and \
            --as-case NAME it prints instead a publication for `weft publish`: one case holding the hashed signals \
            of the confirmed records (pictures only where they matched). Details: docs/merge.md.
            """)

    @OptionGroup var home: HomeOptions
    @OptionGroup var key: FederationKeyOption
    @Argument(help: "JSONL files (default: standard input).") var files: [String] = []
    @Option(help: "Folder holding the media files posts name (default: ./media).") var mediaDir = "media"
    @Option(help: "The platform accounts belong to, when a record does not say.") var platform: String?
    @Option(help: "The largest PDQ distance that matches.") var maxDistance = 31
    @Option(help: "The smallest MinHash similarity that matches.") var minSimilarity = 0.7
    @Option(help: "The Public Suffix List file.") var publicSuffixList = PublicSuffixList.debianPath
    @OptionGroup var confirmation: MatchConfirmationOptions

    func run() throws {
        try runReporting {
            guard (0...64).contains(maxDistance), (0.3...1).contains(minSimilarity) else {
                throw CLIFailure("--max-distance must be 0…64 and --min-similarity 0.3…1", status: ExitStatus.usage)
            }
            let federationKey = try key.load()
            let hasher = MinHasher(key: federationKey)
            let canonicalizer = URLCanonicalizer(suffixes: try PublicSuffixList(path: publicSuffixList))
            let store = try NodeHome.open(home).store()
            let (operations, read) = try SavedMerge.operations(in: store)
            let view = try read ?? store.mergedView()
            var confirming = try confirmation.start()
            let matcher = ContentMatcher(
                view: view, operations: operations, maximumDistance: maxDistance,
                minimumSimilarity: minSimilarity)
            var records = 0
            var matched = 0
            var inOperations = 0
            var unreadableMedia = 0
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try JSONLPipeline(files: files).run { fields, id in
                records += 1
                var originals: [(field: String, pdq: String)] = []
                var probes: [ContentMatcher.Probe] = []
                var pictures: [(field: String, dihedral: [PDQHash])] = []
                var texts: [(field: String, signature: MinHashSignature)] = []
                if let handle = try fields.optionalString("handle") {
                    let platform = try fields.optionalString("platform") ?? self.platform
                    do {
                        let reference = try AccountReference(platform: platform, text: handle)
                        probes.append(
                            .init(field: "handle", kind: .account, value: reference.accountValue(key: federationKey)))
                        probes.append(
                            .init(field: "handle", kind: .handle, value: reference.handleValue(key: federationKey)))
                    } catch let error as AccountReferenceError { throw fields.error("handle", error.message) }
                }
                let signals = PostSignals(
                    text: try fields.optionalString("text") ?? "", links: try fields.strings("links"),
                    media: try fields.strings("media"), hasher: hasher, canonicalizer: canonicalizer)
                if let text = signals.text {
                    probes.append(.init(field: "text", kind: .textSHA256, value: text.sha256))
                    texts.append(("text", text.minHash))
                }
                for url in signals.urls {
                    probes.append(.init(field: "links", kind: .url, value: url.url))
                    if let domain = url.domain { probes.append(.init(field: "links", kind: .domain, value: domain)) }
                }
                for handle in signals.profileHandles {
                    probes.append(
                        .init(
                            field: "links", kind: .handle,
                            value: PostSignals.profileHandleValue(handle, key: federationKey)))
                }
                for tag in signals.hashtags { probes.append(.init(field: "text", kind: .hashtag, value: tag)) }
                for (number, name) in signals.media.enumerated() {
                    let path = (mediaDir as NSString).appendingPathComponent(name)
                    guard let bytes = FileManager.default.contents(atPath: path),
                        let hashes = try? ImageHashes(fileBytes: Array(bytes), dihedral: true)
                    else {
                        unreadableMedia += 1
                        printError("warning: media[\(number)] \(path): cannot read or decode it; skipped")
                        continue
                    }
                    probes.append(.init(field: "media[\(number)]", kind: .md5, value: hashes.md5))
                    probes.append(.init(field: "media[\(number)]", kind: .sha256, value: hashes.sha256))
                    if hashes.pdqProblem == nil {
                        pictures.append(("media[\(number)]", hashes.dihedral ?? [hashes.pdq.hash]))
                        originals.append(("media[\(number)]", hashes.pdq.hash.hex))
                    }
                }
                let hits = matcher.match(exact: probes, pictures: pictures, texts: texts)
                if confirming != nil {
                    confirming?.add(
                        id: id,
                        values: probes.map { ($0.field, $0.kind, $0.value) }
                            + (signals.text.map { [("text", IndicatorKind.textMinHash, $0.minHash.hex)] } ?? []),
                        pictures: originals, matchedFields: Set(hits.map(\.field)),
                        isAccount: probes.contains { $0.field == "handle" })
                    return nil
                }
                guard !hits.isEmpty else { return nil }
                matched += 1
                if hits.contains(where: { !$0.operations.isEmpty }) { inOperations += 1 }
                let priority =
                    hits.map { hit in
                        hit.closeness * hit.exclusivity * Double(hit.confidence) / 100
                            * (hit.operations.isEmpty ? 1 : 2)
                    }.max() ?? 0
                let encoded = try JSONParser.parse(Array(try encoder.encode(hits)))
                return ["priority": .number((priority * 1000).rounded() / 1000), "hits": encoded]
            }
            if let confirming {
                return try confirmation.finish(confirming)
            }
            printError(
                "\(records) records, \(matched) matched, \(inOperations) of them in operations"
                    + (unreadableMedia > 0 ? "; \(unreadableMedia) media files could not be read" : ""))
        }
    }
}
