import Testing

@testable import WeftCore

/// Value formats of every indicator kind, the refusal of personal-data kinds, and the relations inside records.
@Suite struct RecordTests {
    static let hex64 = String(repeating: "ab", count: 32)

    static let valid: [(IndicatorKind, String)] = [
        (.pdq, hex64), (.md5, String(repeating: "0f", count: 16)), (.sha256, hex64), (.textSHA256, hex64),
        (.textMinHash, String(repeating: "0", count: 1024)), (.url, "https://example.com/a?b=c"),
        (.url, "http://xn--80ak6aa92e.com:8080/path"), (.domain, "example.co.uk"), (.account, hex64), (.handle, hex64),
        (.accountLink, hex64), (.hashtag, "standwithhk"), (.hashtag, "台湾"), (.handleShape, "A a4 d8"),
        (.schedule, String(repeating: "f", count: 168)),
    ]

    static let invalid: [(IndicatorKind, String)] = [
        (.pdq, String(repeating: "AB", count: 32)), (.pdq, "abc"), (.md5, hex64), (.textMinHash, hex64),
        (.url, "ftp://example.com/"), (.url, "https://Example.com /a"), (.url, "https://example.com/#frag"),
        (.url, "https://user:pw@example.com/"), (.url, "hxxps://example[.]com"), (.domain, "Example.com"),
        (.domain, "example.com."), (.domain, "com"), (.domain, "-bad.com"), (.domain, "192.168.1.1"),
        (.hashtag, "#tag"), (.hashtag, "Tag"), (.hashtag, "two words"), (.handleShape, "X4"), (.handleShape, "d08"),
        (.schedule, String(repeating: "f", count: 167)),
    ]

    @Test(arguments: valid) func validValuesAreAccepted(kind: IndicatorKind, value: String) throws {
        let indicator = try Indicator(kind: kind, value: value)
        #expect(indicator.key.count == 64)
    }

    @Test(arguments: invalid) func invalidValuesAreRefusedWithTheField(kind: IndicatorKind, value: String) {
        let error = #expect(throws: RecordError.self) { try Indicator(kind: kind, value: value) }
        #expect(error?.field == "value")
        #expect(error?.reason.contains("invalid \(kind.rawValue) value") == true)
    }

    /// Each URL and domain rule, with the reason it gives: the rules scan bytes, and these pin what they say.
    static let urlAndDomainReasons: [(IndicatorKind, String, String)] = [
        (.domain, "", "must be 1 to 253 characters"),
        (.domain, String(repeating: "a.", count: 127) + "com", "must be 1 to 253 characters"),
        (.domain, "example.com.", "must not end with a dot"), (.domain, "com", "must have at least two labels"),
        (.domain, "a..com", "each label must be 1 to 63 characters"),
        (.domain, ".a.com", "each label must be 1 to 63 characters"),
        (.domain, String(repeating: "a", count: 64) + ".com", "each label must be 1 to 63 characters"),
        (.domain, "Example.com", "labels take lower-case letters"), (.domain, "bücher.de", "labels take lower-case"),
        (.domain, "-bad.com", "must not start or end with a hyphen"),
        (.domain, "bad-.com", "must not start or end with a hyphen"),
        (.domain, "192.168.1.1", "an IP address is not a domain"),
        (.url, "https://" + String(repeating: "a", count: 2041), "longer than 2048 bytes"),
        (.url, "HTTPS://example.com/", "must be an absolute http or https URL"),
        (.url, "https://exa mple.com/", "must not contain spaces"), (.url, "https://例え.jp/", "raw non-ASCII"),
        (.url, "https://example.com/\u{7F}", "control characters"),
        (.url, "https://example.com/#top", "must not have a fragment"),
        (.url, "https://me@example.com/", "must not carry user information"),
        (.url, "https://", "host: must be 1 to 253 characters"),
        (.url, "https://:8080/", "host: an IP address is not a domain"),
        (.url, "https://10.0.0.1:443/x", "host: an IP address is not a domain"),
        (.url, "https://a_b.example.com.:80", "host: must not end with a dot"),
        (.url, "http://-x.com", "host: labels must not start or end with a hyphen"),
    ]

    @Test(arguments: urlAndDomainReasons) func urlAndDomainRulesSayWhichRuleIsBroken(
        kind: IndicatorKind, value: String, reason: String
    ) {
        let error = #expect(throws: RecordError.self) { try Indicator(kind: kind, value: value) }
        let given = error.map(\.reason) ?? "accepted"
        #expect(given.contains(reason), "\(value): \(given)")
    }

    @Test func urlHostsMayHaveOneLabelAndPorts() throws {
        for value in ["http://localhost:8080/a", "https://a_b.example.com/x/y?z=1", "https://example.com"] {
            _ = try Indicator(kind: .url, value: value)
        }
    }

    @Test(arguments: ["email", "phone", "ip", "IPv4", "ipv6"]) func personalDataKindsAreRefusedWithAReason(name: String)
    {
        let error = #expect(throws: RecordError.self) { try IndicatorKind(validating: name) }
        #expect(error?.reason.contains("personal data and never leave a node") == true)
        #expect(error?.field == "kind")
    }

    @Test func indicatorKeyIsSHA256OfKindZeroValue() throws {
        // sha256("domain" ‖ 0x00 ‖ "example.com"), computed independently with Python's hashlib.
        let indicator = try Indicator(kind: .domain, value: "example.com")
        #expect(indicator.key == "05d504ff83cf98ff7d8bb10b50ef552f84855ac3dcb47fb6f0aed65f7a51becf")
    }

    @Test func prevalenceBucketsAreLog2() throws {
        #expect(PrevalenceBucket(count: 0).index == 0)
        #expect(PrevalenceBucket(count: 1).index == 1)
        #expect(PrevalenceBucket(count: 2).index == 2)
        #expect(PrevalenceBucket(count: 3).index == 2)
        #expect(PrevalenceBucket(count: 4).index == 3)
        #expect(PrevalenceBucket(count: 7704).index == 13)  // 4096…8191
        #expect(PrevalenceBucket(count: 7704).description == "4096–8191")
        for count in [1, 5, 63, 64, 1000, 1 << 40] {
            let bucket = PrevalenceBucket(count: count)
            #expect(bucket.lowerBound <= count && count <= bucket.upperBound)
        }
        #expect(throws: RecordError.self) { try PrevalenceBucket(index: 64) }
    }

    @Test func labelsDaysAndCaseIDs() throws {
        for text in ["disarm:1.6:T0084.001", "disarm:1.6:T0002", "killchain:6.1.3", "tag:spamouflage"] {
            #expect(try Label(text).text == text)
        }
        for text in ["disarm:T0084", "disarm:1.6:T84", "killchain:six", "6.1.3", "tag:Upper", "other:x"] {
            #expect(throws: RecordError.self, "\(text)") { try Label(text) }
        }
        #expect(try Day("2024-02-29").text == "2024-02-29")
        // Signs, spaces and other separators are not digits (Int("+1") would have let "2023-+1-01" through).
        for text in [
            "2023-02-29", "2023-13-01", "2023-1-01", "1999-01-01", "2023-04-31", "2023-+1-01", "2023-01-+1",
            "2023/01/01", "2023-01-1 ", "+023-01-01",
        ] {
            #expect(throws: RecordError.self, "\(text)") { try Day(text) }
        }
        #expect(throws: RecordError.self) { try CaseID("has space") }
        #expect(throws: RecordError.self) { try CaseID(String(repeating: "a", count: 129)) }
    }

    @Test func reportRelationsAreChecked() throws {
        let indicator = try Indicator(kind: .domain, value: "example.com")
        let caseID = try CaseID("c1")
        #expect(
            performing: {
                try Report(
                    caseID: caseID, indicator: indicator, firstSeen: try Day("2023-05-02"),
                    lastSeen: try Day("2023-05-01"),
                    confidence: 50, postingAccounts: PrevalenceBucket(count: 3),
                    flaggedAccounts: PrevalenceBucket(count: 1))
            }, throws: { ($0 as? RecordError)?.field == "last_seen" })
        #expect(
            performing: {
                try Report(
                    caseID: caseID, indicator: indicator, firstSeen: try Day("2023-05-01"),
                    lastSeen: try Day("2023-05-01"),
                    confidence: 50, postingAccounts: PrevalenceBucket(count: 1),
                    flaggedAccounts: PrevalenceBucket(count: 9))
            }, throws: { ($0 as? RecordError)?.field == "prevalence.flagged" })
        #expect(
            performing: {
                try Report(
                    caseID: caseID, indicator: indicator, firstSeen: try Day("2023-05-01"),
                    lastSeen: try Day("2023-05-01"),
                    confidence: 101, postingAccounts: PrevalenceBucket(count: 1),
                    flaggedAccounts: PrevalenceBucket(count: 1))
            }, throws: { ($0 as? RecordError)?.field == "confidence" })
    }

    @Test func recordsRefuseUnknownAndMistypedFieldsNamingThem() throws {
        let good: JSONValue = [
            "case": "c1", "kind": "domain", "value": "example.com", "first_seen": "2023-05-01",
            "last_seen": "2023-05-02", "confidence": 50, "labels": [],
            "prevalence": ["accounts": 3, "flagged": 2],
        ]
        let report = try Report(json: good, record: "reports[0]")
        #expect(report.json == good)
        var extra = good.objectValue!
        extra["account_name"] = "someone"
        let unknown = #expect(throws: RecordError.self) { try Report(json: .object(extra), record: "reports[4]") }
        #expect(unknown?.record == "reports[4]")
        #expect(unknown?.field == "account_name")
        var mistyped = good.objectValue!
        mistyped["confidence"] = "high"
        let typed = #expect(throws: RecordError.self) { try Report(json: .object(mistyped), record: "reports[1]") }
        #expect(typed?.description == "reports[1]: field 'confidence': expected an integer, found string")
        var email = good.objectValue!
        email["kind"] = "email"
        #expect(
            performing: { try Report(json: .object(email), record: "r") },
            throws: { ($0 as? RecordError)?.reason.contains("personal data") == true })
    }

    @Test func retractionsNeedExactlyOneTarget() throws {
        #expect(
            try Retraction(json: ["case": "c1", "reason": "legal"], record: "x").target == .caseID(try CaseID("c1")))
        #expect(throws: RecordError.self) { try Retraction(json: ["reason": "legal"], record: "x") }
        #expect(throws: RecordError.self) {
            try Retraction(json: ["case": "c1", "report": .string(Self.hex64), "reason": "legal"], record: "x")
        }
        #expect(throws: RecordError.self) { try Retraction(json: ["case": "c1", "reason": "bored"], record: "x") }
    }

    @Test func utcTimesRoundTripAndRejectOtherForms() {
        for time: Int64 in [0, 951_782_400, 1_774_224_000, 1_774_224_000 + 86_399, 4_102_444_800] {
            #expect(UTCTime.parse(UTCTime.text(time)) == time)
        }
        #expect(UTCTime.text(1_774_224_000) == "2026-03-23T00:00:00Z")
        #expect(UTCTime.day(951_782_400) == "2000-02-29")
        for bad in ["2026-03-23 00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-23T24:00:00Z", "2026-03-23T00:00:00"] {
            #expect(UTCTime.parse(bad) == nil, "\(bad)")
        }
    }
}
