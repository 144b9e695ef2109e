import Foundation
import Testing

/// `weft hash …` as a platform's batch pipeline runs it: JSONL in, JSONL out, errors by line number, and no raw
/// text or handle in the bytes that come out.
@Suite struct HashCommandTests {
    let root: String
    let keyFile: String

    init() throws {
        root = try WeftProcess.temporaryDirectory()
        keyFile = root + "/federation.key"
        #expect(try WeftProcess.run(["federation-key", "generate", keyFile]).status == 0)
    }

    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/testdata/pdq").path

    func lines(_ result: WeftProcess.Result) throws -> [[String: Any]] {
        try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func imagesHashInInputOrderAndBadFilesAreReported() throws {
        let files = ["pixels/q0122.png", "source/pdq/data/bridge-mods/aaa-orig.jpg", "README.md", "pixels/small.png"]
            .map { Self.shared + "/" + $0 }
        let result = try WeftProcess.run(["hash", "image"] + files)
        #expect(result.status == 65)
        #expect(result.stderr.contains("README.md: unsupported-format"))
        let rows = try lines(result)
        try #require(rows.count == 3, "\(result.stderr)")
        #expect(rows[0]["pdq"] as? String == "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940")
        #expect(rows[1]["pdq"] as? String == "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")
        #expect((rows[2]["pdq_problem"] as? String)?.contains("quality") == true)
        let stdin = files.prefix(2).map { #"{"id":"x","path":"\#($0)"}"# }.joined(separator: "\n")
        let piped = try WeftProcess.run(["hash", "image", "--dihedral"], stdin: Data(stdin.utf8))
        #expect(piped.status == 0)
        #expect(try lines(piped).allSatisfy { ($0["dihedral"] as? [String])?.count == 8 && $0["id"] as? String == "x" })
    }

    @Test func textNeverLeavesAsText() throws {
        let post = "Secret operation text about the ELECTION, share now!!"
        let input =
            #"{"id":"p1","text":"\#(post)"}"# + "\n"
            + #"{"id":"p2","text":"secret operation text about the election share now"}"#
        let result = try WeftProcess.run(["hash", "text", "--federation-key-file", keyFile], stdin: Data(input.utf8))
        #expect(result.status == 0)
        let rows = try lines(result)
        try #require(rows.count == 2, "\(result.stderr)")
        #expect(rows[0]["sha256"] as? String == rows[1]["sha256"] as? String)
        #expect((rows[0]["minhash"] as? String)?.count == 1024)
        for word in ["operation", "election", "Secret"] {
            #expect(!result.stdout.lowercased().contains(word.lowercased()))
        }
    }

    @Test func accountsLeaveOnlyAsKeyedValues() throws {
        let input =
            #"{"account":"https://twitter[.]com/SaraSil39636921/"}"# + "\n"
            + #"{"account":"@sarasil39636921","platform":"x"}"#
            + "\n" + #"{"account":"someone@example.com","platform":"twitter"}"#
        let result = try WeftProcess.run(
            ["hash", "account", "--federation-key-file", keyFile], stdin: Data(input.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 3: field 'account': email addresses are personal data"))
        let rows = try lines(result)
        try #require(rows.count == 2, "\(result.stderr)")
        #expect(rows[0]["account"] as? String == rows[1]["account"] as? String)
        #expect(!result.stdout.lowercased().contains("sarasil"))
        #expect(!result.stdout.contains("example.com"))
        // A key file others can read is refused.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        #expect(
            try WeftProcess.run(["hash", "account", "--federation-key-file", keyFile], stdin: Data(input.utf8)).status
                == 77)
    }

    @Test func urlsAndSchedules() throws {
        let urls = #"{"url":"hxxps://www.example[.]co.uk/a?utm_source=x#top"}"# + "\n" + #"{"url":"ftp://example.com"}"#
        let result = try WeftProcess.run(["hash", "url"], stdin: Data(urls.utf8))
        #expect(result.status == 65)
        #expect(try lines(result).first?["url"] as? String == "https://www.example.co.uk/a")
        #expect(try lines(result).first?["domain"] as? String == "example.co.uk")
        // Nine accounts: refused (k = 10); ten: a fingerprint.
        let monday = 1_682_899_200 + 2 * 3_600  // 10:00 in UTC+8
        func line(_ accounts: Int) -> String {
            let times = (0..<accounts).map { account in
                "[" + (0..<5).map { "\(monday + $0 * 86_400 + account * 60)" }.joined(separator: ",") + "]"
            }
            return #"{"case":"c1","post_times":[\#(times.joined(separator: ","))]}"#
        }
        let schedules = try WeftProcess.run(["hash", "schedule"], stdin: Data((line(9) + "\n" + line(10)).utf8))
        #expect(schedules.status == 65)
        #expect(schedules.stderr.contains("line 1: field 'post_times': 9 accounts"))
        #expect((try lines(schedules).first?["schedule"] as? String)?.count == 168)
    }
}

/// `weft import meta-csv` on a node home: a signed feed of its own, verifiable, queryable, and refusing the TTP list.
@Suite struct ImportCommandTests {
    @Test func takedownReportsBecomeAVerifiedFeed() throws {
        let root = try WeftProcess.temporaryDirectory()
        let home = root + "/node"
        #expect(try WeftProcess.run(["init", "--home", home, "--name", "node"]).status == 0)
        let folder = URL(fileURLWithPath: HashCommandTests.shared).deletingLastPathComponent()
            .appendingPathComponent("meta-threat-research").path
        let files = ["Q1_2023_China_based_CIB_2.csv", "Online_Operations_Killchain-TTPs.csv"].map { folder + "/" + $0 }
        let imported = try WeftProcess.run(
            ["import", "meta-csv", "--home", home, "--as-origin", "meta-public", "--json"] + files)
        #expect(imported.status == 65)  // the TTP list is refused, the report is imported
        #expect(imported.stderr.contains("no Indicator column"))
        let results = try #require(try JSONSerialization.jsonObject(with: imported.stdoutBytes) as? [[String: Any]])
        #expect(results.count == 1 && (results.first?["accounts"] as? Int) == 155)
        let mode =
            try FileManager.default.attributesOfItem(atPath: home + "/origins/meta-public.key")[.posixPermissions]
            as? Int
        #expect(mode == 0o600)
        let shown = try WeftProcess.run(["indicator", "show", "--home", home, "domain", "neweurope.online"])
        #expect(shown.stdout.contains("meta-public") && shown.stdout.contains("killchain:0.6.2"))
        #expect(try WeftProcess.run(["verify", "--home", home]).status == 0)
        // Importing the same file again continues the feed (seq 2), it does not fork it.
        #expect(
            try WeftProcess.run(["import", "meta-csv", "--home", home, "--as-origin", "meta-public", files[0]]).status
                == 0)
        let status = try WeftProcess.run(["status", "--home", home, "--json"]).stdout
        #expect(status.contains("\"equivocations\" : 0") && status.contains("\"seq\" : 2"))
    }
}
