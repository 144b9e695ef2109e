import Foundation
import Testing
import WeftCore
import WeftHashing
import WeftIngest

@testable import WeftScenario

/// Ingest on a hand-built platform export: prevalence, schedules, withheld pictures, profile links and errors.
@Suite struct PlatformIngestTests {
    let root: String
    let key = try! FederationKey(bytes: Array(repeating: 7, count: 32))
    let canonicalizer = URLCanonicalizer(suffixes: try! PublicSuffixList())

    init() throws { root = try ScenarioGeneratorTests.temporary() }

    static let headline = "Breaking: the Harbour Foundation lies about the debt trap again"

    /// Twelve flagged accounts post the headline on weekday mornings; three ordinary accounts post it too. Flagged
    /// f0 and f1 post the same picture; f2 posts a picture nobody else has; f3 links to a profile elsewhere.
    func writeExport(postLines: [String]? = nil, extraFlag: String? = nil) throws {
        var accounts: [String] = []
        var posts: [String] = []
        var flags: [String] = []
        let shared = try PNGEncoder.encode(ImageSynthesis.picture(seed: 1, side: 96))
        let personal = try PNGEncoder.encode(ImageSynthesis.picture(seed: 2, side: 96))
        try FileManager.default.createDirectory(atPath: root + "/media", withIntermediateDirectories: true)
        try Data(shared).write(to: URL(fileURLWithPath: root + "/media/shared.png"))
        try Data(personal).write(to: URL(fileURLWithPath: root + "/media/personal.png"))
        for index in 0..<15 {
            let id = "u\(index)"
            accounts.append(
                #"{"id":"\#(id)","handle":"ZoeRich\#(10_000_000 + index)","email":"z\#(index)@mail.example"}"#)
            let day = index % 5
            let time = UTCTime.text(ScenarioParameters.windowStart + Int64(day * 86_400 + 2 * 3_600 + index * 60))
            posts.append(
                #"{"account":"\#(id)","time":"\#(time)","text":"\#(Self.headline) #ExposeTruth","links":[],"media":[]}"#
            )
            if index < 12 {
                flags.append(#"{"account":"\#(id)","case":"case-9","status":"confirmed","labels":["killchain:6.1.3"]}"#)
            }
        }
        let noon = UTCTime.text(ScenarioParameters.windowStart + 3 * 3_600)
        posts.append(#"{"account":"u0","time":"\#(noon)","text":"","links":[],"media":["shared.png"]}"#)
        posts.append(#"{"account":"u1","time":"\#(noon)","text":"","links":[],"media":["shared.png"]}"#)
        posts.append(#"{"account":"u2","time":"\#(noon)","text":"","links":[],"media":["personal.png"]}"#)
        posts.append(
            #"{"account":"u3","time":"\#(noon)","text":"see","links":["https://small.example/@LinkedPersona99","https://op-voice.example/2026/a1"],"media":[]}"#
        )
        if let extraFlag { flags.append(extraFlag) }
        try Data(#"{"name":"testplatform","domain":"testplatform.example","format":1}"#.utf8).write(
            to: URL(fileURLWithPath: root + "/platform.json"))
        try Data(accounts.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: root + "/accounts.jsonl"))
        try Data((postLines ?? posts).joined(separator: "\n").utf8).write(
            to: URL(fileURLWithPath: root + "/posts.jsonl"))
        try Data(flags.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: root + "/flagged.jsonl"))
    }

    func ingest() throws -> IngestResult {
        try PlatformIngest(federationKey: key, canonicalizer: canonicalizer).run(PlatformExport(directory: root))
    }

    @Test func reportsCarryPrevalenceOverThePlatformAndAScheduleForTwelveAccounts() throws {
        try writeExport()
        let result = try ingest()
        #expect(result.cases.map(\.id.text) == ["case-9"])
        #expect(result.cases[0].accounts == PrevalenceBucket(count: 12))
        let text = try #require(result.reports.first { $0.indicator.kind == .textSHA256 })
        #expect(
            text.indicator.value == Hex.sha256(Array(TextNormalizer.normalize(Self.headline + " #ExposeTruth").utf8)))
        #expect(text.postingAccounts == PrevalenceBucket(count: 15))
        #expect(text.flaggedAccounts == PrevalenceBucket(count: 12))
        #expect(result.reports.filter { $0.indicator.kind == .account }.count == 12)
        #expect(result.reports.filter { $0.indicator.kind == .schedule }.count == 1)
        #expect(result.reports.contains { $0.indicator == (try? Indicator(kind: .hashtag, value: "exposetruth")) })
        #expect(result.summary.schedules == 1)
    }

    @Test func aPictureOnlyOneAccountPostedIsWithheldAndASharedOneIsPublished() throws {
        try writeExport()
        let result = try ingest()
        let personal = try ImageHashes(
            fileBytes: Array(try Data(contentsOf: URL(fileURLWithPath: root + "/media/personal.png"))))
        let shared = try ImageHashes(
            fileBytes: Array(try Data(contentsOf: URL(fileURLWithPath: root + "/media/shared.png"))))
        let values = Set(result.reports.map(\.indicator.value))
        #expect(
            !values.contains(personal.sha256) && !values.contains(personal.md5)
                && !values.contains(personal.pdq.hash.hex))
        #expect(values.contains(shared.sha256) && values.contains(shared.pdq.hash.hex))
        #expect(result.summary.withheldPictures == 1)
    }

    @Test func aProfileLinkLeavesAsAKeyedHandleNotAsAURL() throws {
        try writeExport()
        let result = try ingest()
        let urls = result.reports.filter { $0.indicator.kind == .url }.map(\.indicator.value)
        #expect(urls == ["https://op-voice.example/2026/a1"])
        let linked = try AccountReference(platform: "elsewhere", text: "LinkedPersona99").handleValue(key: key)
        #expect(result.reports.contains { $0.indicator.kind == .handle && $0.indicator.value == linked })
        #expect(!result.reports.contains { $0.indicator.value.contains("LinkedPersona99") })
    }

    @Test func aBadLineIsNamedWithItsFileAndLine() throws {
        try writeExport(postLines: [
            #"{"account":"u0","time":"2026-03-23T01:00:00Z","text":"ok","links":[],"media":[]}"#,
            #"{"account":"u0","time":"yesterday","text":"ok","links":[],"media":[]}"#,
        ])
        #expect { try ingest() } throws: { "\($0)".contains("posts.jsonl line 2") && "\($0)".contains("yesterday") }
    }

    @Test func aFlaggedAccountTheExportDoesNotListIsAnError() throws {
        try writeExport(extraFlag: #"{"account":"ghost","case":"case-9","status":"confirmed","labels":[]}"#)
        #expect { try ingest() } throws: { "\($0)".contains("'ghost'") }
    }
}
