import Testing
import WeftCore
import WeftStore

@testable import WeftSync

@Suite struct PeerAddressTests {
    @Test func parsesHostsPortsAndIPv6() throws {
        #expect(try PeerAddress(url: "https://127.0.0.1:7443").description == "127.0.0.1:7443")
        #expect(try PeerAddress(url: "https://weft.example/").description == "weft.example:443")
        #expect(try PeerAddress(url: "https://[::1]:9000").host == "::1")
        #expect(try PeerAddress(url: "https://[::1]:9000").description == "[::1]:9000")
        #expect(try PeerAddress(url: "https://127.0.0.1:7443").isIPAddress)
        #expect(try !PeerAddress(url: "https://weft.example").isIPAddress)
    }

    @Test(arguments: [
        "http://127.0.0.1:1", "https://", "https://host:0", "https://host:70000", "https://host/path",
        "https://user@host:1", "https://host:x",
    ])
    func refusesWhatIsNotHTTPSHostPort(_ url: String) {
        #expect(throws: SyncError.badURL(url)) { try PeerAddress(url: url) }
    }
}

@Suite struct SyncWireTests {
    let origin = try! OriginID(hex: String(repeating: "ab", count: 32))

    @Test func headsRoundTripAsCanonicalJSON() throws {
        let heads = [
            ServedHead(
                origin: origin, channel: .federation, seq: 7, id: try BundleID(hex: String(repeating: "cd", count: 32)))
        ]
        let bytes = try SyncWire.encodeHeads(heads)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"[{"channel":"federation","id":"cdcd"#))
        #expect(try SyncWire.decodeHeads(bytes) == heads)
    }

    @Test(arguments: [
        #"{"origin":"x"}"#, #"[{"origin":"ab","channel":"federation","seq":1,"id":"cd"}]"#,
        #"[{"channel":"federation","id":"cdcd","origin":"abab","seq":0}]"#, "not json",
    ])
    func badHeadsAreAProtocolViolation(_ text: String) {
        #expect {
            try SyncWire.decodeHeads(Array(text.utf8))
        } throws: { error in
            if case SyncError.protocolViolation = error { return true }
            return false
        }
    }

    @Test func noticeRoundTripsAndRefusesExtraFields() throws {
        let notice = SyncWire.Notice(origin: origin, channel: try Channel("ops-group"), seq: 3)
        #expect(try SyncWire.Notice(bytes: try notice.encode()) == notice)
        var text = String(decoding: try notice.encode(), as: UTF8.self)
        text.removeLast()
        text += #","data":"smuggled"}"#
        #expect(throws: RecordError.self) { try SyncWire.Notice(bytes: Array(text.utf8)) }
    }

    @Test func feedsAreNewlineDelimitedAndSplitBack() {
        let envelopes: [[UInt8]] = [Array(#"{"a":1}"#.utf8), Array(#"{"b":2}"#.utf8)]
        let body = SyncWire.encodeFeed(envelopes)
        #expect(body == Array("{\"a\":1}\n{\"b\":2}\n".utf8))
        #expect(SyncWire.decodeFeed(body) == envelopes)
        #expect(SyncWire.decodeFeed([]) == [])
        #expect(SyncWire.decodeFeed(Array("\n\n{\"a\":1}\n\n{\"b\":2}".utf8)) == envelopes)
        #expect(SyncWire.decodeFeed(Array("\n".utf8)) == [])
        #expect(
            SyncWire.feedPath(origin: origin, channel: .federation, after: 4, limit: 64)
                == "/sync/v1/feeds/\(origin.hex)/federation?after=4&limit=64")
    }
}

@Suite struct RateLimiterTests {
    @Test func aBucketEmptiesAndRefillsWithTime() {
        let limiter = RateLimiter(requestsPerSecond: 10, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.allow("p", now: start) })
        #expect(!limiter.allow("p", now: start), "burst spent")
        #expect(limiter.allow("q", now: start), "buckets are per caller")
        #expect(!limiter.allow("p", now: start + .milliseconds(50)), "half a token")
        #expect(limiter.allow("p", now: start + .milliseconds(110)))
        #expect((0..<3).allSatisfy { _ in limiter.allow("p", now: start + .seconds(60)) }, "refills to the burst")
        #expect(!limiter.allow("p", now: start + .seconds(60)))
    }
}

@Suite struct SyncMetricsTests {
    @Test func rendersPrometheusTextWithEscapedLabels() {
        let metrics = SyncMetrics()
        metrics.increment("weft_bundles_received_total", [("outcome", "accepted")], by: 3)
        metrics.increment("weft_bundles_received_total", [("outcome", "rejected"), ("reason", "bad-signature")])
        metrics.set("weft_peer_up", [("peer", #"a"b\c"#)], to: 1)
        let text = metrics.render(extra: ["weft_peers{status=\"active\"}": 2])
        #expect(text.contains("# TYPE weft_bundles_received_total counter\n"))
        #expect(text.contains("weft_bundles_received_total{outcome=\"accepted\"} 3\n"))
        #expect(text.contains("weft_bundles_received_total{outcome=\"rejected\",reason=\"bad-signature\"} 1\n"))
        #expect(text.contains(#"weft_peer_up{peer="a\"b\\c"} 1"#))
        #expect(text.contains("# TYPE weft_peers gauge\nweft_peers{status=\"active\"} 2\n"))
    }
}

@Suite(.timeLimit(.minutes(1))) struct DoorbellTests {
    @Test func aRingEndsTheWaitAndAnEarlyRingIsRemembered() async {
        let bell = Doorbell()
        await bell.ring()
        await bell.wait(upTo: .seconds(3600))  // returns at once: the ring was remembered
        async let waited: Void = bell.wait(upTo: .seconds(3600))
        try? await Task.sleep(for: .milliseconds(50))
        await bell.ring()
        await waited  // returns: the ring ended the wait (a broken bell hangs until the time limit)
        let clock = ContinuousClock()
        let timedOut = await clock.measure { await bell.wait(upTo: .milliseconds(20)) }
        #expect(timedOut >= .milliseconds(20), "without a ring, the wait lasts its full duration")
    }
}

@Suite struct BackoffTests {
    @Test func doublesFromTheInitialValueUpToTheCapWithJitter() {
        var settings = PullService.Settings()
        settings.initialBackoff = .seconds(1)
        settings.maxBackoff = .seconds(300)
        for failures in 1...40 {
            let full = min(Duration.seconds(1) * (1 << min(failures - 1, 20)), .seconds(300))
            for _ in 0..<50 {
                let delay = settings.backoff(after: failures)
                #expect(delay >= full / 2 && delay < full, "failures \(failures): \(delay)")
            }
        }
    }
}
