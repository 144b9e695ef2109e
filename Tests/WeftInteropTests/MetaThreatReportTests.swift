import Foundation
import TestScratch
import Testing
import WeftCore
import WeftHashing

@testable import WeftInterop
@testable import WeftStore

/// Meta's published takedown CSVs, every file, read into cases and reports and published; and the CSV reader.
@Suite struct MetaThreatReportTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "shared/testdata/meta-threat-research")
    static let canonicalizer = URLCanonicalizer(suffixes: try! PublicSuffixList())
    static let key = try! FederationKey(bytes: Array(0..<32))

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func read(_ name: String, key: FederationKey?) throws -> MetaThreatReport {
        let (first, last) = try #require(MetaThreatReport.quarter(fromFileName: name))
        return try MetaThreatReport(
            csv: try text(name), caseID: try CaseID(String(name.prefix(60))), firstSeen: first,
            lastSeen: last, canonicalizer: canonicalizer, federationKey: key)
    }

    static let reportFiles = [
        "Q1_2023_China_based_CIB_1.csv", "Q1_2023_China_based_CIB_2.csv",
        "Q2_2023_Doppelganger_Russia_based_CIB.csv", "Q2_2023_Spamouflage_China_based_CIB.csv",
    ]

    @Test func csvReaderHandlesQuotesNewlinesAndBOM() {
        var reader = CSVReader("\u{FEFF}a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\nlast")
        #expect(reader.next()?.fields == ["a", "b,c", "say \"hi\""])
        let second = reader.next()
        #expect(second?.fields == ["multi\nline", "", "x"] && second?.line == 2)
        #expect(reader.next()?.line == 4)
        #expect(reader.next() == nil)
    }

    @Test func spamouflageBecomesOneCaseWithItsIndicators() throws {
        let report = try Self.read("Q2_2023_Spamouflage_China_based_CIB.csv", key: Self.key)
        // "7,704 Facebook accounts" and "15 Instagram accounts"; Pages and Groups are not accounts.
        #expect(report.accounts == 7_704 + 15)
        #expect(report.caseRecord.accounts == PrevalenceBucket(count: 7_719))
        #expect(report.caseRecord.labels.contains(try Label("killchain:6.1.3")))
        #expect(report.caseRecord.labels.contains(try Label("killchain:0.9.4")))
        let kinds = Dictionary(grouping: report.reports, by: \.indicator.kind).mapValues(\.count)
        #expect(kinds[.textSHA256] == 268 && kinds[.textMinHash] == 268)  // headlines of posted content
        // A handle reused on two platforms (teamilk951 on Medium and Tumblr) is two accounts but one handle value:
        // the link across platforms the handle kind exists for.
        let accounts = try #require(kinds[.account])
        let handles = try #require(kinds[.handle])
        #expect(accounts > 100 && handles < accounts)
        let headline = TextNormalizer.normalize(
            "\"Milk Tea Alliance\" releases investigation report on COVID-19 transmission")
        #expect(
            report.reports.contains {
                $0.indicator == (try? Indicator(kind: .textSHA256, value: Hex.sha256(Array(headline.utf8))))
            })
        #expect(report.reports.allSatisfy { $0.labels.first?.text.hasPrefix("killchain:") == true })
    }

    @Test(arguments: reportFiles)
    func everyFilePublishesAndVerifiesWithoutRawAccounts(name: String) throws {
        let directory = try TestScratch.directory("weft-interop")
        let importer = OriginKey()
        let store = try NodeStore(path: directory + "/weft.sqlite", node: OriginKey().originID)
        _ = try store.addOrigin(name: "meta-public", publicKey: importer.publicKey)
        for key in [nil, Self.key] {
            let report = try Self.read(name, key: key)
            #expect(!report.reports.isEmpty || key == nil, "nothing imported from \(name) with the key")
            _ = try store.publish(
                Publication(
                    channel: .federation, audience: .federation, cases: [report.caseRecord],
                    reports: report.reports), key: importer)
        }
        #expect(try store.verifyAndRebuild().isClean)
        // No handle of any social-platform account named in the file appears in any published byte.
        let handles = try Self.socialHandles(in: Self.text(name))
        let published = try store.envelopes(origin: importer.originID, channel: .federation, after: 0)
            .map { String(decoding: try DSSEEnvelope(jsonBytes: $0).payload, as: UTF8.self).lowercased() }
            .joined()
        #expect(!published.isEmpty)
        for handle in handles where handle.count >= 5 {
            #expect(!published.contains(handle.lowercased()), "raw account '\(handle)' was published")
        }
    }

    /// Handles in social-platform URLs of a file (the first path segment, without `@`).
    static func socialHandles(in text: String) throws -> [String] {
        var handles: [String] = []
        var reader = CSVReader(text)
        while let (_, fields) = reader.next() {
            for field in fields {
                let link = MetaThreatReport.cleanLink(URLCanonicalizer.refang(field)).lowercased()
                for host in [
                    "twitter.com/", "tiktok.com/@", "medium.com/@", "reddit.com/user/", "t.me/", "youtube.com/@",
                    "tumblr.com/", "safechat.com/u/",
                ] {
                    if let range = link.range(of: host) {
                        let rest = link[range.upperBound...]
                        if let handle = rest.split(whereSeparator: { "/?#".contains($0) }).first {
                            handles.append(String(handle))
                        }
                    }
                }
            }
        }
        return handles
    }

    @Test func withoutTheKeyAccountURLsAreSkippedWithAReason() throws {
        let report = try Self.read("Q2_2023_Spamouflage_China_based_CIB.csv", key: nil)
        #expect(!report.reports.contains { $0.indicator.kind == .account || $0.indicator.kind == .textMinHash })
        #expect(report.skipped.contains { $0.reason.contains("give the federation key") })
        #expect(!report.reports.contains { $0.indicator.value.contains("twitter.com") })
    }

    @Test func theKillChainTaxonomyIsNotATakedownReport() throws {
        let error = #expect(throws: MetaCSVError.self) {
            try MetaThreatReport.checkHeader(csv: try Self.text("Online_Operations_Killchain-TTPs.csv"))
        }
        #expect(error?.message.contains("no Indicator column") == true)
    }

    @Test func wrappedAndAnnotatedLinksAreCleaned() {
        #expect(MetaThreatReport.cleanLink("jiraboom[.]pro (Hosted a spoof of Der Spiegel)") == "jiraboom[.]pro")
        #expect(
            MetaThreatReport.cleanLink(
                "https://www[.]freelancer[.]com/projects/articles/ Writing-article s-35666510/details")
                == "https://www[.]freelancer[.]com/projects/articles/Writing-articles-35666510/details")
        #expect(MetaThreatReport.accountCount("7,704 Facebook accounts") == 7_704)
        #expect(MetaThreatReport.accountCount("954 Facebook Pages") == 0)
        #expect(MetaThreatReport.accountCount("Sharing on Facebook") == nil)
    }
}
