import GRDB
import WeftCore

import struct Foundation.Data

/// A peer to add: everything the trust table binds.
public struct NewPeer: Sendable, Hashable {
    /// A name for people.
    public var name: String
    /// The base URL of its sync server.
    public var url: String
    /// Its TLS SPKI SHA-256 pin, hex.
    public var spkiPin: String
    /// Its origin's public key, when known; the origin is added (or bound, if already known) with the peer.
    public var originKey: OriginPublicKey?
    /// Its policy.
    public var policy: PeerPolicy

    /// Creates a description of a peer to add.
    public init(name: String, url: String, spkiPin: String, originKey: OriginPublicKey?, policy: PeerPolicy = .standard)
    {
        self.name = name
        self.url = url
        self.spkiPin = spkiPin
        self.originKey = originKey
        self.policy = policy
    }
}

extension NodeStore {
    /// Adds a peer, and its origin if given and not yet known. Audited.
    public func addPeer(_ peer: NewPeer) throws -> PeerRecord {
        try Self.checkPeerName(peer.name)
        let pin = peer.spkiPin.lowercased()
        guard Hex.isLowercaseHex(pin, count: 64) else {
            throw PeerError(reason: "the SPKI pin must be 64 hex digits (certs/spki-pin.sh prints it)")
        }
        guard peer.url.hasPrefix("https://"), peer.url.utf8.count <= 300 else {
            throw PeerError(reason: "the peer URL must start with https:// (mutual TLS only)")
        }
        guard (0...1).contains(peer.policy.trust) else { throw PeerError(reason: "trust must be between 0 and 1") }
        return try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM peer WHERE name = ?", arguments: [peer.name]) == true {
                throw PeerError(reason: "a peer named '\(peer.name)' already exists")
            }
            if let other = try String.fetchOne(db, sql: "SELECT name FROM peer WHERE spki_pin = ?", arguments: [pin]) {
                throw PeerError(reason: "peer '\(other)' already has this SPKI pin")
            }
            var originHex: String?
            if let key = peer.originKey {
                let id = key.originID
                if try Self.originRecord(db, id) == nil {
                    var name = peer.name
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM origin WHERE name = ?", arguments: [name]) == true {
                        name = "\(peer.name)-\(id.hex.prefix(8))"
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO origin (id, public_key, name, status, is_self, added_at)
                            VALUES (?, ?, ?, 'active', 0, ?)
                            """,
                        arguments: [id.hex, Data(key.rawRepresentation), name, Timestamp.string()])
                    try AuditLog.append(
                        db, action: "origin.add", subject: id.hex, outcome: "changed", detail: "with peer \(peer.name)")
                }
                originHex = id.hex
            }
            try db.execute(
                sql: """
                    INSERT INTO peer (name, url, spki_pin, origin, status, channels, relay, trust, added_at)
                    VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)
                    """,
                arguments: [
                    peer.name, peer.url, pin, originHex, peer.policy.channels.description, peer.policy.relay,
                    peer.policy.trust, Timestamp.string(),
                ])
            try AuditLog.append(
                db, action: "peer.add", subject: peer.name, outcome: "changed",
                detail: "url \(peer.url), pin \(pin), origin \(originHex ?? "none")")
            return try Self.peerRecord(db, name: peer.name)!
        }
    }

    /// Changes a peer's status. Revoking also revokes its origin (new bundles from it are refused, whoever relays
    /// them); with `quarantine`, the origin is quarantined instead, which also takes its past reports out of the
    /// merged view while keeping the bytes for audit. Resuming does not restore a revoked origin. Audited.
    public func setPeerStatus(
        _ name: String, to status: PeerRecord.Status, reason: String, quarantineOrigin: Bool = false
    ) throws {
        try database.write { db in
            guard let peer = try Self.peerRecord(db, name: name) else {
                throw PeerError(reason: "no peer named '\(name)'")
            }
            if peer.status == .revoked, status != .revoked {
                throw PeerError(reason: "peer '\(name)' is revoked; add it again under a new name to trust it")
            }
            try db.execute(
                sql: "UPDATE peer SET status = ?, status_reason = ? WHERE name = ?",
                arguments: [status.rawValue, reason, name])
            try AuditLog.append(
                db, action: "peer.\(status.rawValue)", subject: name, outcome: "changed", reason: reason)
            guard status == .revoked, let origin = peer.origin else { return }
            let originStatus = quarantineOrigin ? "quarantined" : "revoked"
            try db.execute(
                sql: "UPDATE origin SET status = ?, status_reason = ? WHERE id = ? AND is_self = 0",
                arguments: [originStatus, "peer \(name) revoked: \(reason)", origin.hex])
            try AuditLog.append(
                db, action: "origin.\(originStatus)", subject: origin.hex, outcome: "changed",
                reason: "peer \(name) revoked", detail: reason)
        }
    }

    /// Replaces a peer's policy. Audited.
    public func setPeerPolicy(_ name: String, _ policy: PeerPolicy) throws {
        guard (0...1).contains(policy.trust) else { throw PeerError(reason: "trust must be between 0 and 1") }
        try database.write { db in
            guard try Self.peerRecord(db, name: name) != nil else { throw PeerError(reason: "no peer named '\(name)'") }
            try db.execute(
                sql: "UPDATE peer SET channels = ?, relay = ?, trust = ? WHERE name = ?",
                arguments: [policy.channels.description, policy.relay, policy.trust, name])
            try AuditLog.append(
                db, action: "peer.policy", subject: name, outcome: "changed",
                detail: "channels \(policy.channels), relay \(policy.relay), trust \(policy.trust)")
        }
    }

    /// Points a peer at a new TLS key (its SPKI pin) and, optionally, a new sync URL: the step of a certificate
    /// rotation that changes the key. Takes effect on live connections at once (the gate reads the table on
    /// every request). Audited with the old and new values.
    public func rebindPeer(_ name: String, spkiPin: String, url: String?) throws {
        let pin = spkiPin.lowercased()
        guard Hex.isLowercaseHex(pin, count: 64) else {
            throw PeerError(reason: "the SPKI pin must be 64 hex digits (certs/spki-pin.sh prints it)")
        }
        if let url, !url.hasPrefix("https://") || url.utf8.count > 300 {
            throw PeerError(reason: "the peer URL must start with https:// (mutual TLS only)")
        }
        try database.write { db in
            guard let peer = try Self.peerRecord(db, name: name) else {
                throw PeerError(reason: "no peer named '\(name)'")
            }
            if let other = try String.fetchOne(
                db, sql: "SELECT name FROM peer WHERE spki_pin = ? AND name != ?", arguments: [pin, name])
            {
                throw PeerError(reason: "peer '\(other)' already has this SPKI pin")
            }
            try db.execute(
                sql: "UPDATE peer SET spki_pin = ?, url = ? WHERE name = ?", arguments: [pin, url ?? peer.url, name])
            try AuditLog.append(
                db, action: "peer.rebind", subject: name, outcome: "changed",
                detail: "pin \(peer.spkiPin) → \(pin); url \(peer.url) → \(url ?? peer.url)")
        }
    }

    /// Notes the outcome of a sync round with a peer (not audited: this is operational state).
    public func recordContact(peer name: String, error: String?) throws {
        try database.write { db in
            if let error {
                try db.execute(
                    sql: "UPDATE peer SET last_error = ?, last_error_at = ? WHERE name = ?",
                    arguments: [String(error.prefix(500)), Timestamp.string(), name])
            } else {
                try db.execute(
                    sql: "UPDATE peer SET last_contact = ? WHERE name = ?", arguments: [Timestamp.string(), name])
            }
        }
    }

    /// All peers, by name.
    public func peers() throws -> [PeerRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM peer ORDER BY name").map(PeerRecord.init(row:))
        }
    }

    /// The peer with this name.
    public func peer(named name: String) throws -> PeerRecord? {
        try database.read { db in try Self.peerRecord(db, name: name) }
    }

    /// The peer whose TLS certificate has this SPKI pin: how a caller is identified.
    public func peer(pin: String) throws -> PeerRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM peer WHERE spki_pin = ?", arguments: [pin])
                .map(PeerRecord.init(row:))
        }
    }

    /// Records a refused sync request in the audit log.
    public func auditRefusedCaller(subject: String, reason: String, detail: String) throws {
        try database.write { db in
            try AuditLog.append(
                db, action: "sync.request", subject: subject, outcome: "refused", reason: reason, detail: detail)
        }
    }

    static func peerRecord(_ db: Database, name: String) throws -> PeerRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM peer WHERE name = ?", arguments: [name]).map(PeerRecord.init(row:))
    }

    static func checkPeerName(_ name: String) throws {
        guard isValidName(name) else {
            throw PeerError(reason: "peer name must be 1–64 characters of letters, digits, '-', '_' or '.'")
        }
    }

    /// Names of peers and analysts: 1–64 ASCII letters, digits, '-', '_' or '.'.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0))
            })
    }
}
