import Foundation
import GRDB
import Testing
import WeftCore

@testable import WeftStore

/// The peer trust table, the per-peer feed filter, cursors, and migration 4's back-fill.
@Suite struct PeerTableTests {
    let pin = String(repeating: "0a", count: 32)

    @Test func addingAPeerBindsItsOriginAndRefusesBadInput() throws {
        let fixture = try StoreFixture()
        let key = OriginKey()
        let peer = try fixture.store.addPeer(
            NewPeer(name: "bravo", url: "https://127.0.0.1:7443", spkiPin: pin.uppercased(), originKey: key.publicKey))
        #expect(peer.spkiPin == pin && peer.origin == key.originID && peer.status == .active)
        #expect(try fixture.store.origin(matching: "bravo")?.id == key.originID, "its origin is trusted too")
        #expect(try fixture.store.peer(pin: pin)?.name == "bravo")
        let cases: [(NewPeer, String)] = [
            (
                NewPeer(name: "bravo", url: "https://h:1", spkiPin: String(repeating: "1b", count: 32), originKey: nil),
                "already exists"
            ),
            (NewPeer(name: "other", url: "https://h:1", spkiPin: pin, originKey: nil), "already has this SPKI pin"),
            (
                NewPeer(name: "x", url: "http://h:1", spkiPin: String(repeating: "2c", count: 32), originKey: nil),
                "https://"
            ),
            (NewPeer(name: "x", url: "https://h:1", spkiPin: "abc", originKey: nil), "64 hex digits"),
            (
                NewPeer(
                    name: "bad name", url: "https://h:1", spkiPin: String(repeating: "3d", count: 32), originKey: nil),
                "letters"
            ),
        ]
        for (newPeer, message) in cases {
            let before = try fixture.store.checksums()
            #expect(throws: PeerError.self) { try fixture.store.addPeer(newPeer) }
            do { _ = try fixture.store.addPeer(newPeer) } catch let error as PeerError {
                #expect(error.reason.contains(message), "\(error.reason)")
            }
            #expect(try fixture.store.checksums() == before, "a refused peer changes nothing")
        }
    }

    @Test func revokingAPeerRevokesOrQuarantinesItsOriginAndIsFinal() throws {
        let fixture = try StoreFixture()
        let key = OriginKey()
        _ = try fixture.store.addPeer(
            NewPeer(name: "bravo", url: "https://h:1", spkiPin: pin, originKey: key.publicKey))
        try fixture.store.setPeerStatus("bravo", to: .suspended, reason: "maintenance")
        #expect(try fixture.store.origin(matching: "bravo")?.status == .active, "suspension leaves the origin alone")
        try fixture.store.setPeerStatus("bravo", to: .active, reason: "back")
        try fixture.store.setPeerStatus("bravo", to: .revoked, reason: "left", quarantineOrigin: true)
        #expect(try fixture.store.origin(matching: "bravo")?.status == .quarantined)
        #expect(throws: PeerError.self) { try fixture.store.setPeerStatus("bravo", to: .active, reason: "oops") }
        let actions = try fixture.store.auditLog().map(\.action)
        #expect(actions.suffix(4) == ["peer.suspended", "peer.active", "peer.revoked", "origin.quarantined"])
    }

    @Test func theFeedReaderAppliesAudiencePolicyAndRelay() throws {
        let node = OriginKey().originID
        let publisher = OriginKey().originID
        let member = OriginKey().originID
        let outsider = OriginKey().originID
        let group = try Channel("ops")
        let amber = try CanonicalJSON.string(try Audience(tlp: .amber, members: [member], channel: group).json)
        let green = try CanonicalJSON.string(Audience.federation.json)
        func reader(_ origin: OriginID?, _ channels: PeerPolicy.Channels = .all, relay: Bool = true) -> FeedReader {
            FeedReader(origin: origin, policy: PeerPolicy(channels: channels, relay: relay, trust: 1))
        }
        // (reader, publisher, channel, audience) → may read
        let table: [(FeedReader, OriginID, Channel, String, Bool)] = [
            (reader(member), publisher, group, amber, true),
            (reader(outsider), publisher, group, amber, false),
            (reader(nil), publisher, group, amber, false),
            (reader(nil), publisher, .federation, green, true),
            (reader(outsider), node, .federation, green, true),
            (reader(member, relay: false), publisher, group, amber, false),
            (reader(member, relay: false), node, .federation, green, true),
            (reader(member, .only([.federation])), publisher, group, amber, false),
            (reader(member, .only([.federation])), publisher, .federation, green, true),
            (reader(member), publisher, group, "not json", false),
        ]
        for (index, (reader, origin, channel, audience, expected)) in table.enumerated() {
            #expect(
                reader.mayRead(origin: origin, channel: channel, audience: audience, node: node) == expected,
                "row \(index)")
        }
    }

    @Test func cursorsMoveWithTheBatchAndReportLag() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.addPeer(NewPeer(name: "bravo", url: "https://h:1", spkiPin: pin, originKey: nil))
        let bundles = fixture.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(2_500))
        let cursor = SyncCursor(peer: "bravo", origin: fixture.alpha.originID, channel: .federation, peerSeq: 3)
        _ = try fixture.store.receive(batch: [bundles[0].envelopeBytes], source: "peer bravo", cursor: cursor)
        #expect(try fixture.store.feedLags().map(\.lag) == [2])
        _ = try fixture.store.receive(
            batch: bundles.dropFirst().map(\.envelopeBytes), source: "peer bravo", cursor: cursor)
        let lag = try #require(try fixture.store.feedLags().first)
        #expect(lag.seq == 3 && lag.peerSeq == 3 && lag.lag == 0)
    }

    @Test func migrationFourBackfillsTheAudienceOfStoredBundles() throws {
        let fixture = try StoreFixture()
        let bundles = fixture.alphaBundles(
            cases: [try StoreFixture.caseRecord("c1")], reports: try StoreFixture.reports(3))
        _ = try fixture.store.receive(batch: bundles.map(\.envelopeBytes))
        // Recreate the pre-4 state: drop what step 4 made, then migrate again.
        try fixture.store.database.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    DROP TABLE cursor; DROP TABLE peer; ALTER TABLE bundle DROP COLUMN audience;
                    DELETE FROM grdb_migrations WHERE identifier = '4-peers-and-cursors'
                    """)
        }
        try Migrations.migrator.migrate(fixture.store.database)
        let audiences = try fixture.store.database.read { try String?.fetchAll($0, sql: "SELECT audience FROM bundle") }
        #expect(audiences == [#"{"tlp":"green"}"#])
        #expect(try fixture.store.heads(for: FeedReader(origin: nil, policy: .standard)).map(\.seq) == [1])
    }
}
