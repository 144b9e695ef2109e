import Crypto
import Foundation
import Testing
import WeftCore

@testable import WeftHashing

/// Keyed account and handle values, URL forms, shapes, pair links, and refusal of contact data.
@Suite struct AccountTests {
    static let key = try! FederationKey(bytes: Array(0..<32))

    @Test func oneAccountHasOneValueWhateverItsSpelling() throws {
        let forms = [
            (nil as String?, "https://twitter[.]com/SaraSil39636921/"), ("twitter", "@SaraSil39636921"),
            ("X", "sarasil39636921"), (nil, "https://x.com/SaraSil39636921?s=20"), (nil, "twitter.com/SARASIL39636921"),
        ]
        let values = try forms.map { try AccountReference(platform: $0.0, text: $0.1).accountValue(key: Self.key) }
        #expect(Set(values).count == 1)
        #expect(try Indicator(kind: .account, value: values[0]).value == values[0])
    }

    @Test func accountValueIsHMACOverPlatformAndHandle() throws {
        let reference = try AccountReference(platform: "twitter", text: "@Name")
        let subKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(UInt8(0)..<32)), salt: Array("weft.federation.v1".utf8),
            info: Array("account".utf8), outputByteCount: 32)
        let expected = Hex.encode(HMAC<SHA256>.authenticationCode(for: Array("twitter\u{0}name".utf8), using: subKey))
        #expect(reference.accountValue(key: Self.key) == expected)
        #expect(reference.accountValue(key: try FederationKey(bytes: Array(repeating: 1, count: 32))) != expected)
    }

    @Test func handlesLinkAcrossPlatformsButAccountsDoNot() throws {
        let onX = try AccountReference(platform: "twitter", text: "new_observation")
        let onForum = try AccountReference(platform: "medium", text: "@New_Observation")
        #expect(onX.handleValue(key: Self.key) == onForum.handleValue(key: Self.key))
        #expect(onX.accountValue(key: Self.key) != onForum.accountValue(key: Self.key))
    }

    @Test func profileURLsOfKnownPlatforms() throws {
        #expect(
            try AccountReference(platform: nil, text: "https://www.facebook.com/profile.php?id=100089").handle
                == "100089")
        #expect(
            try AccountReference(platform: nil, text: "https://www.reddit.com/user/azambrano14/comments/x").handle
                == "azambrano14")
        #expect(
            try AccountReference(platform: nil, text: "https://www.youtube.com/@SomeChannel").handle == "somechannel")
        #expect(try AccountReference(platform: nil, text: "https://t.me/news_channel").platform == "telegram")
        #expect(throws: AccountReferenceError.self) {
            try AccountReference(platform: nil, text: "https://unknown.example/abc")
        }
        #expect(throws: AccountReferenceError.self) { try AccountReference(platform: nil, text: "justahandle") }
        #expect(throws: AccountReferenceError.self) {
            try AccountReference(platform: "facebook", text: "https://twitter.com/name")
        }
    }

    @Test(arguments: ["someone@example.com", "+1 202 555 0143", "(202) 555-0143", "192.168.0.1", "2001:db8::1"])
    func contactDataIsRefused(text: String) {
        let error = #expect(throws: AccountReferenceError.self) {
            try AccountReference(platform: "twitter", text: text)
        }
        #expect(error?.message.contains("personal data") == true)
    }

    @Test func numericIDsAreAccounts() throws {
        #expect(try AccountReference(platform: "facebook", text: "100089123456789").handle == "100089123456789")
    }

    @Test func shapes() throws {
        #expect(try AccountReference(platform: "twitter", text: "SaraSil39636921").shape == "A a3 A a2 d8")
        #expect(try AccountReference(platform: "twitter", text: "end_05201180").shape == "a3 s d8")
        _ = try Indicator(
            kind: .handleShape, value: try AccountReference(platform: "twitter", text: "ZoeRich28859010").shape)
    }

    @Test func pairKeysAreSymmetricAndPrivateToThePair() throws {
        let a = OriginKey().originID
        let b = OriginKey().originID
        let c = OriginKey().originID
        let secret = Array(repeating: UInt8(42), count: 32)
        let account = try AccountReference(platform: "twitter", text: "@target")
        let ab = try PairKey(sharedSecret: secret, between: a, and: b).linkValue(account)
        #expect(ab == (try PairKey(sharedSecret: secret, between: b, and: a).linkValue(account)))
        #expect(ab != (try PairKey(sharedSecret: secret, between: a, and: c).linkValue(account)))
        #expect(ab != account.accountValue(key: Self.key))
    }
}
