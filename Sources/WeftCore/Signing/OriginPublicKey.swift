import Crypto
import Foundation

/// An origin's Ed25519 public key, which verifies every bundle in the origin's feeds.
public struct OriginPublicKey: Sendable, Hashable {
    let key: Curve25519.Signing.PublicKey

    /// The raw 32 bytes.
    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }
    /// The raw bytes in standard base64, as peer cards carry them.
    public var base64: String { Data(rawRepresentation).base64EncodedString() }
    /// The origin id derived from this key.
    public var originID: OriginID { OriginID(publicKey: self) }

    /// Loads a key from its raw 32 bytes.
    public init(rawRepresentation: [UInt8]) throws(RecordError) {
        do { key = try Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) } catch {
            throw RecordError(
                record: "", field: nil, reason: "not an Ed25519 public key (\(rawRepresentation.count) bytes)")
        }
    }

    /// Loads a key from standard base64.
    public init(base64: String) throws(RecordError) {
        guard let data = Data(base64Encoded: base64) else {
            throw RecordError(record: "", field: nil, reason: "public key is not standard base64")
        }
        try self.init(rawRepresentation: Array(data))
    }

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// True when `signature` is this key's Ed25519 signature over `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }

    public static func == (lhs: OriginPublicKey, rhs: OriginPublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}
