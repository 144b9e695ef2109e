import Crypto
import Testing

@testable import WeftCore

/// `EvidentPayload` reads reports straight from the payload bytes; the general steps (parse into `JSONValue`,
/// `readHeader`, `checkCanonical`, `readRecords`) are the definition. For every input, the evident lane must
/// either decline (nil) or give exactly what the general steps give, and it must never accept what they refuse.
@Suite struct EvidentPayloadTests {
    typealias Outcome = (header: BundleHeader, payload: BundlePayload, reportIDs: [SHA256Digest])

    let key = OriginKey()

    /// The general steps' result, or nil if any of them refuses the payload.
    func general(_ received: ReceivedBundle, limits: BundleLimits) -> Outcome? {
        guard let parsed = try? received.readHeader(), (try? received.checkCanonical(parsed.payload)) != nil
        else { return nil }
        var ids: [SHA256Digest] = []
        guard
            let payload = try? received.readRecords(
                parsed.payload, header: parsed.header, limits: limits, reportIDs: &ids)
        else { return nil }
        return (parsed.header, payload, ids)
    }

    /// A bundle of this test's key carrying `payload` (the signature no longer matches; neither lane checks it).
    func received(_ bundle: SignedBundle, payload: [UInt8]) throws -> ReceivedBundle {
        var envelope = bundle.envelope
        envelope.payload = payload
        return try ReceivedBundle(envelopeBytes: envelope.jsonBytes)
    }

    /// Checks the lanes agree on `received`; returns whether the evident lane read it.
    @discardableResult
    func expectAgreement(
        _ received: ReceivedBundle, limits: BundleLimits = .standard, _ comment: Comment? = nil
    ) -> Bool {
        let reference = general(received, limits: limits)
        guard let evident = EvidentPayload.read(received, limits: limits) else { return false }
        #expect(reference != nil, "accepted what the general steps refuse: \(comment?.rawValue ?? "")")
        if let reference {
            #expect(evident.header == reference.header, comment)
            #expect(evident.payload == reference.payload, comment)
            #expect(evident.reportIDs == reference.reportIDs, comment)
        }
        return true
    }

    func sampleBundle() throws -> SignedBundle {
        var reports = try Fixtures.reports(3)
        reports.append(
            try Report(
                caseID: try CaseID("c2"), indicator: try Indicator(kind: .domain, value: "news-site.example.org"),
                firstSeen: try Day("2023-01-31"), lastSeen: try Day("2023-12-01"), confidence: 0,
                labels: [], postingAccounts: PrevalenceBucket(count: 0), flaggedAccounts: PrevalenceBucket(count: 0)))
        reports.append(
            try Report(
                caseID: try CaseID("c2"), indicator: try Indicator(kind: .domain, value: "x.example.net"),
                firstSeen: try Day("2024-02-29"), lastSeen: try Day("2024-02-29"), confidence: 100,
                labels: [try Label("disarm:1.6:T0084.001"), try Label("killchain:6.1.3")],
                postingAccounts: PrevalenceBucket(count: 5_000), flaggedAccounts: PrevalenceBucket(count: 9)))
        return Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1"), try Fixtures.caseRecord("c2")], reports: reports)[0]
    }

    /// A report of every indicator kind, with the values `RecordTests` holds valid.
    func everyKind(ascii: Bool) throws -> [Report] {
        try RecordTests.valid.enumerated().compactMap { index, pair in
            guard pair.1.utf8.allSatisfy({ $0 < 0x80 }) == ascii else { return nil }
            return try Report(
                caseID: try CaseID("c1"), indicator: try Indicator(kind: pair.0, value: pair.1),
                firstSeen: try Day("2023-05-01"), lastSeen: try Day("2023-05-0\(index % 9 + 1)"), confidence: index,
                postingAccounts: PrevalenceBucket(count: index * 3), flaggedAccounts: PrevalenceBucket(count: index))
        }
    }

    @Test func everyIndicatorKindReadsTheSame() throws {
        let reports = try everyKind(ascii: true)
        #expect(reports.count >= 13)
        let bundle = Fixtures.bundles(key: key, cases: [try Fixtures.caseRecord("c1")], reports: reports)[0]
        #expect(expectAgreement(try ReceivedBundle(envelopeBytes: bundle.envelopeBytes)))
    }

    /// A valid payload outside the evident shape (a hashtag in Chinese script) is declined by the lane and still
    /// prepared, through the general steps, with the same result.
    @Test func validPayloadsOutsideTheShapeTakeTheGeneralSteps() throws {
        let reports = try everyKind(ascii: false)
        #expect(!reports.isEmpty)
        let bundle = Fixtures.bundles(key: key, cases: [try Fixtures.caseRecord("c1")], reports: reports)[0]
        let received = try ReceivedBundle(envelopeBytes: bundle.envelopeBytes)
        #expect(EvidentPayload.read(received, limits: .standard) == nil)
        let reference = try #require(general(received, limits: .standard))
        let prepared = PreparedBundle(received: received, signerKey: key.publicKey, limits: .standard)
        #expect(try prepared.records?.get() == reference.payload)
        #expect(prepared.reportKeys.map(\.id) == reference.reportIDs.map { Hex.encode($0) })
    }

    @Test func signedBundlesTakeTheEvidentLane() throws {
        let bundle = try sampleBundle()
        #expect(expectAgreement(try ReceivedBundle(envelopeBytes: bundle.envelopeBytes)))
        let large = Fixtures.bundles(
            key: key, cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(2_500))
        for bundle in large { #expect(expectAgreement(try ReceivedBundle(envelopeBytes: bundle.envelopeBytes))) }
        let empty = Fixtures.bundles(key: key, cases: [try Fixtures.caseRecord("c1")], reports: [])[0]
        #expect(expectAgreement(try ReceivedBundle(envelopeBytes: empty.envelopeBytes)))
    }

    /// Every payload byte replaced by each of a set of bytes that matter to JSON and to the records, deleted, and
    /// doubled. Most mutants are refused by both lanes; some stay valid (a digit, a letter of a domain) and must
    /// then read the same in both.
    @Test func mutatedPayloadsReadTheSameInBothLanes() throws {
        let bundle = try sampleBundle()
        let payload = bundle.envelope.payload
        let replacements = Array(#"0159-az"[]{},: .\"#.utf8) + [0x00, 0xC3]
        var evidentReads = 0
        var mutants = 0
        for index in payload.indices {
            var variants: [[UInt8]] = []
            for byte in replacements where byte != payload[index] {
                var mutated = payload
                mutated[index] = byte
                variants.append(mutated)
            }
            var deleted = payload
            deleted.remove(at: index)
            var doubled = payload
            doubled.insert(payload[index], at: index)
            variants += [deleted, doubled]
            for variant in variants {
                guard let received = try? received(bundle, payload: variant) else { continue }
                mutants += 1
                if expectAgreement(received, "byte \(index)") { evidentReads += 1 }
            }
        }
        #expect(mutants > 10_000)
        // Valid mutants exist (confidence digits, domain letters, days); they must have gone through the lane.
        #expect(evidentReads > 100, "only \(evidentReads) of \(mutants) mutants read by the evident lane")
    }

    /// Reports the builder never writes but a peer could send, made canonical so the evident shape applies.
    @Test func unusualReportsAreDeclinedOrReadTheSame() throws {
        let bundle = try sampleBundle()
        guard case .object(var members) = try JSONParser.parse(bundle.envelope.payload),
            case .array(let reports) = members["reports"], case .object(let first) = reports[0]
        else {
            Issue.record("the sample payload has reports")
            return
        }
        func with(_ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
            var report = first
            change(&report)
            return .object(report)
        }
        let cases: [(String, [JSONValue], expectEvident: Bool)] = [
            ("labels absent", [with { $0["labels"] = nil }], false),
            ("labels null", [with { $0["labels"] = .null }], false),
            ("unknown member", [with { $0["note"] = .string("x") }], false),
            ("confidence as a string", [with { $0["confidence"] = .string("80") }], false),
            ("confidence 101", [with { $0["confidence"] = .number(101) }], false),
            ("negative confidence", [with { $0["confidence"] = .number(-1) }], false),
            ("fractional confidence", [with { $0["confidence"] = .number(80.5) }], false),
            ("last_seen before first_seen", [with { $0["last_seen"] = .string("2023-04-30") }], false),
            ("no such day", [with { $0["first_seen"] = .string("2023-02-30") }], false),
            ("unknown kind", [with { $0["kind"] = .string("email") }], false),
            ("upper-case domain", [with { $0["value"] = .string("Example.com") }], false),
            ("non-ASCII value", [with { $0["value"] = .string("bücher.example") }], false),
            ("escaped quote in a label", [with { $0["labels"] = .array([.string("a\"b:c")]) }], false),
            ("flagged above accounts", [with { $0["prevalence"] = ["accounts": 2, "flagged": 3] }], false),
            ("bucket 64", [with { $0["prevalence"] = ["accounts": 64, "flagged": 3] }], false),
            (
                "prevalence with a third member", [with { $0["prevalence"] = ["accounts": 6, "flagged": 5, "x": 1] }],
                false
            ),
            (
                "repeated label",
                [with { $0["labels"] = .array([.string("killchain:6.1.3"), .string("killchain:6.1.3")]) }], false
            ),
            ("unknown label scheme", [with { $0["labels"] = .array([.string("x:b")]) }], false),
            (
                "labels out of order",
                [with { $0["labels"] = .array([.string("killchain:6.1.3"), .string("disarm:1.6:T0084.001")]) }], true
            ),
            ("a report twice", [.object(first), .object(first)], false),
            ("a report that is not an object", [.string("report")], false),
            ("one plain report", [.object(first)], true),
        ]
        for (name, reportValues, expectEvident) in cases {
            members["reports"] = .array(reportValues)
            let payload = try CanonicalJSON.encode(.object(members))
            let read = expectAgreement(try received(bundle, payload: payload), Comment(rawValue: name))
            #expect(read == expectEvident, Comment(rawValue: name))
        }
    }

    @Test func limitsApplyInBothLanes() throws {
        let bundle = try sampleBundle()
        let received = try ReceivedBundle(envelopeBytes: bundle.envelopeBytes)
        let tight = BundleLimits(maximumReports: 4)
        #expect(general(received, limits: tight) == nil)
        #expect(EvidentPayload.read(received, limits: tight) == nil)
        #expect(EvidentPayload.read(received, limits: BundleLimits(maximumReports: 5)) != nil)
    }

    @Test func aPayloadOfAnotherOriginIsDeclined() throws {
        let bundle = try sampleBundle()
        let other = Fixtures.bundles(
            key: OriginKey(), cases: [try Fixtures.caseRecord("c1")], reports: try Fixtures.reports(1))[0]
        // The other origin's payload under this bundle's signer: readHeader refuses it, so must the lane.
        let received = try received(bundle, payload: other.envelope.payload)
        #expect(general(received, limits: .standard) == nil)
        #expect(EvidentPayload.read(received, limits: .standard) == nil)
    }
}
