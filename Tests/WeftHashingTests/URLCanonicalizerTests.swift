import Foundation
import Testing
import WeftCore

@testable import WeftHashing

/// URL and domain canonicalisation, Punycode, and the Public Suffix List (Debian's file, read at run time).
@Suite struct URLCanonicalizerTests {
    static let suffixes = try! PublicSuffixList()
    static let canonicalizer = URLCanonicalizer(suffixes: suffixes)

    @Test(arguments: [
        ("münchen", "mnchen-3ya"), ("bücher", "bcher-kva"), ("中国", "fiqs8s"), ("台灣", "kpry57d"), ("рф", "p1ai"),
        ("例え", "r8jz45g"), ("ドメイン名例", "eckwd4c7cu47r2wf"), ("παράδειγμα", "hxajbheg2az3al"),
    ])
    func punycodeMatchesPython(label: String, expected: String) {
        // Expected values from Python's punycode codec.
        #expect(Punycode.encode(label) == expected)
    }

    @Test func registrableDomainsFollowThePublicSuffixList() {
        #expect(Self.suffixes.registrableDomain(of: "news.example.co.uk") == "example.co.uk")
        #expect(Self.suffixes.registrableDomain(of: "example.com") == "example.com")
        #expect(Self.suffixes.registrableDomain(of: "a.b.someone.github.io") == "someone.github.io")
        #expect(Self.suffixes.registrableDomain(of: "co.uk") == nil)
        // The list's wildcard and exception rules: *.kawasaki.jp and !city.kawasaki.jp.
        #expect(Self.suffixes.registrableDomain(of: "a.b.kawasaki.jp") == "a.b.kawasaki.jp")
        #expect(Self.suffixes.registrableDomain(of: "www.city.kawasaki.jp") == "city.kawasaki.jp")
        #expect(Self.suffixes.registrableDomain(of: "example.unknowntld") == "example.unknowntld")
    }

    @Test(arguments: [
        ("HTTPS://Example.COM:443/a/./b/../c?utm_source=x&id=5#frag", "https://example.com/a/c?id=5"),
        ("hxxps://example[.]com/path", "https://example.com/path"),
        ("hxxp://www(.)example{.}org:80", "http://www.example.org/"),
        ("example[.]com", "http://example.com/"),
        ("https://twitter[.]com/SaraSil39636921?s=20&t=abc", "https://twitter.com/SaraSil39636921"),
        ("https://example.com/?s=election", "https://example.com/?s=election"),
        ("https://example.com./%7Euser/%2f%e4", "https://example.com/~user/%2F%E4"),
        (
            "https://example.com/naïve path?q=ü".replacingOccurrences(of: " ", with: "%20"),
            "https://example.com/na%C3%AFve%20path?q=%C3%BC"
        ),
        ("https://münchen.de/straße", "https://xn--mnchen-3ya.de/stra%C3%9Fe"),
        ("https://example.com:8443", "https://example.com:8443/"),
        ("https://example.com/a?fbclid=1&gclid=2", "https://example.com/a"),
    ])
    func canonicalForms(input: String, expected: String) throws {
        let canonical = try Self.canonicalizer.canonicalize(input)
        #expect(canonical.url == expected)
        #expect(try Self.canonicalizer.canonicalize(canonical.url).url == expected)  // idempotent
        _ = try Indicator(kind: .url, value: canonical.url)
    }

    @Test(arguments: [
        "ftp://example.com/file", "https://user:pw@example.com/", "http://192.168.1.10/admin", "https://[::1]/",
        "https://example.com:99999/", "", "two words.com", "https://exa mple.com",
    ])
    func refusals(input: String) {
        #expect(throws: URLCanonicalizationError.self) { try Self.canonicalizer.canonicalize(input) }
    }

    @Test func userInformationIsRefusedAsPersonalData() {
        let error = #expect(throws: URLCanonicalizationError.self) {
            try Self.canonicalizer.canonicalize("https://someone@example.com/")
        }
        #expect(error?.message.contains("personal data") == true)
    }

    /// Every URL or domain in Meta's published takedown CSVs (the indicator's first word; notes after it are
    /// analysts' annotations).
    @Test func everyURLInTheMetaThreatResearchFilesCanonicalises() throws {
        let folder = TestData.shared.appendingPathComponent("testdata/meta-threat-research").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.count == 5)
        var count = 0
        for file in files {
            for row in try TestData.csv("meta-threat-research/" + file) {
                guard let indicator = row["Indicator"]?.trimmingCharacters(in: .whitespaces),
                    let first = indicator.split(separator: " ").first.map(String.init),
                    first.contains("[.]") || first.lowercased().hasPrefix("http")
                        || first.lowercased().hasPrefix("hxxp")
                else { continue }
                count += 1
                let canonical = try Self.canonicalizer.canonicalize(first)
                _ = try Indicator(kind: .url, value: canonical.url)
                let domain = try #require(canonical.domain, "\(first) has no registrable domain")
                _ = try Indicator(kind: .domain, value: domain)
                #expect(try Self.canonicalizer.canonicalize(canonical.url) == canonical, "\(first) is not idempotent")
                #expect(!canonical.url.contains("[.]") && !canonical.url.contains("#"))
            }
        }
        #expect(count > 6_000)
    }
}
