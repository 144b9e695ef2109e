import Foundation
import TestScratch
import Testing
import WeftCore
import WeftHashing

@testable import WeftScenario

/// The generator: reproducible for a seed, and the shapes docs/scenario.md promises.
@Suite struct ScenarioGeneratorTests {
    static func temporary() throws -> String {
        try TestScratch.directory("weft-scenario")
    }

    /// Every file under `root`, by relative path.
    static func files(_ root: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                result[relative] = FileManager.default.contents(atPath: "\(root)/\(relative)")
            }
        }
        return result
    }

    static func lines(_ data: Data?) throws -> [[String: Any]] {
        try String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func theSameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot() throws {
        let root = try Self.temporary()
        let parameters = ScenarioParameters(tier: .tiny, seed: 7)
        _ = try ScenarioGenerator(parameters: parameters).write(to: root + "/a")
        _ = try ScenarioGenerator(parameters: parameters).write(to: root + "/b")
        _ = try ScenarioGenerator(parameters: ScenarioParameters(tier: .tiny, seed: 8)).write(to: root + "/c")
        let first = try Self.files(root + "/a")
        let second = try Self.files(root + "/b")
        #expect(first.count > 20)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, bytes) in first { #expect(second[path] == bytes, "\(path) differs between two runs of seed 7") }
        #expect(try Self.files(root + "/c")["truth.json"] != first["truth.json"])
    }

    @Test func aFolderThatIsNotEmptyIsRefused() throws {
        let root = try Self.temporary()
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/keep"))
        #expect(throws: ScenarioError.self) {
            try ScenarioGenerator(parameters: ScenarioParameters(tier: .tiny, seed: 1)).write(to: root)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["keep"])
    }

    @Test func operationsPostOnAnOfficeScheduleInUTC8AndOrdinaryUsersDoNot() throws {
        let root = try Self.temporary()
        _ = try ScenarioGenerator(parameters: ScenarioParameters(tier: .tiny, seed: 11)).write(to: root)
        let truth = try GroundTruth.read(from: root + "/truth.json")
        let start = ScenarioParameters.windowStart
        var operationPosts = 0
        var organicWeekend = 0
        for platform in truth.platforms {
            let members = Set(platform.operationAccounts.values.flatMap { $0 })
            let posts = try Self.lines(FileManager.default.contents(atPath: "\(root)/\(platform.name)/posts.jsonl"))
            for post in posts {
                let text = try #require(post["time"] as? String)
                let time = try #require(UTCTime.parse(text))
                #expect(time >= start && time < start + Int64(truth.days) * 86_400)
                let local = time - start + 8 * 3_600
                let day = Int(local / 86_400)
                let minute = Int(local % 86_400) / 60
                if members.contains(try #require(post["account"] as? String)) {
                    operationPosts += 1
                    #expect(day % 7 < 5, "an operation posted on a weekend")
                    #expect(!PostingRhythm.holidayDays.contains(day))
                    #expect(PostingRhythm.shifts.contains { minute >= $0.from && minute < $0.to }, "minute \(minute)")
                } else if day % 7 >= 5 {
                    organicWeekend += 1
                }
            }
        }
        #expect(operationPosts > 50)
        #expect(organicWeekend > 50, "ordinary users post at weekends")
        #expect(truth.platforms.reduce(0) { $0 + $1.organicUTC8 } > 0, "organic users in UTC+8 exist")
    }

    @Test func theExportHasDecodablePNGAndJPEGMediaAndFlaggedCasesTheTruthKnows() throws {
        let root = try Self.temporary()
        _ = try ScenarioGenerator(parameters: ScenarioParameters(tier: .tiny, seed: 5)).write(to: root)
        let truth = try GroundTruth.read(from: root + "/truth.json")
        var formats: Set<String> = []
        for platform in truth.platforms {
            let folder = "\(root)/\(platform.name)"
            for name in try FileManager.default.contentsOfDirectory(atPath: folder + "/media") {
                let bytes = try #require(FileManager.default.contents(atPath: "\(folder)/media/\(name)"))
                _ = try ImageDecoder.decode(Array(bytes))
                formats.insert(String(name.suffix(3)))
            }
            let flags = try Self.lines(FileManager.default.contents(atPath: folder + "/flagged.jsonl"))
            for flag in flags {
                let account = try #require(flag["account"] as? String)
                let caseID = try #require(flag["case"] as? String)
                #expect(platform.cases[caseID]?.contains(account) == true)
                #expect(platform.roles[account] != nil)
            }
            if platform.flagsNothing { #expect(flags.isEmpty) }
        }
        #expect(formats == ["png", "jpg"])
        #expect(!truth.hardNegatives.mediaDigests.isEmpty && !truth.hardNegatives.urls.isEmpty)
    }

    @Test func tiersSpanWhatTheyPromise() {
        let ci = WorldPlan(parameters: ScenarioParameters(tier: .ci, seed: 3), publishedHeadlines: [])
        #expect(ci.operations.contains { $0.platforms.count >= 10 })
        #expect(ci.operations.allSatisfy { (2...20).contains($0.platforms.count) })
        let stress = WorldPlan(parameters: ScenarioParameters(tier: .stress, seed: 3), publishedHeadlines: [])
        #expect(stress.operations.contains { $0.platforms.count == 60 })
        #expect(stress.platforms.count == 64 && stress.operations.count == 40)
        let recalls = ci.operations.flatMap(\.recall).filter { $0 > 0 }
        #expect(recalls.allSatisfy { (0.3...0.9).contains($0) })
    }

    @Test func publishedHeadlinesAreDealtToOneOperationEach() {
        let published = (0..<20).map { Headline(text: "published headline \($0)", language: "en") }
        let plan = WorldPlan(parameters: ScenarioParameters(tier: .ci, seed: 9), publishedHeadlines: published)
        let used = plan.operations.flatMap { $0.headlines.filter { $0.text.hasPrefix("published") } }
        #expect(!used.isEmpty)
        #expect(Set(used.map(\.text)).count == used.count, "a published headline went to two operations")
    }

    @Test func repostedCopiesStayWithinPDQMatchingDistanceOfTheirOriginal() throws {
        var random = SeededRandom(seed: 42)
        var near = 0
        var usable = 0
        let trials = 40
        for _ in 0..<trials {
            let original = ImageSynthesis.picture(seed: random.next(), side: 128)
            let copy = try ImageSynthesis.file(original, .random(&random, allowFlip: false))
            let distance = PDQHasher.hash(original).hash.distance(
                to: PDQHasher.hash(try ImageDecoder.decode(copy.bytes)).hash)
            if distance <= 31 { near += 1 }
            if PDQHasher.hash(original).quality >= 50 { usable += 1 }
        }
        #expect(near >= trials * 8 / 10, "only \(near) of \(trials) copies within distance 31")
        #expect(usable >= trials * 9 / 10, "only \(usable) of \(trials) pictures have PDQ quality 50 or more")
    }
}
