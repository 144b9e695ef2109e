import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A node's Ed25519 origin signing key. It signs every bundle the node publishes; it is separate from the
/// node's TLS key, so TLS certificates can be rotated without breaking the origin's feeds.
///
/// On disk the key is a two-line text file, `weft-origin-key-v1` then the base64 32-byte seed, created with mode
/// 0600 and refused when group or others may read it.
public struct OriginKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// The first line of a key file.
    public static let fileHeader = "weft-origin-key-v1"

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// A key from its 32-byte seed.
    public init(seed: [UInt8]) throws(OriginKeyError) {
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed) } catch {
            throw OriginKeyError(path: nil, reason: "a key seed is 32 bytes, got \(seed.count)")
        }
    }

    /// The public half.
    public var publicKey: OriginPublicKey { OriginPublicKey(key: key.publicKey) }
    /// The origin id.
    public var originID: OriginID { publicKey.originID }

    /// Signs `message`.
    public func signature(for message: [UInt8]) -> [UInt8] {
        // Signing with a valid in-memory key cannot fail; swift-crypto's `throws` covers other back ends.
        Array(try! key.signature(for: message))
    }

    /// Writes the key to a new file with mode 0600; an existing file is never overwritten.
    public func write(to path: String) throws(OriginKeyError) {
        try SecretFile.write(Array(key.rawRepresentation), header: Self.fileHeader, to: path)
    }

    /// Reads a key file, refusing one that group or others may read.
    public static func read(from path: String) throws(OriginKeyError) -> OriginKey {
        let seed = try SecretFile.read(from: path, header: fileHeader)
        do { return try OriginKey(seed: seed) } catch { throw OriginKeyError(path: path, reason: error.reason) }
    }
}

/// An origin key that cannot be created, read or used, and why.
public struct OriginKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The key file, when the problem concerns one.
    public var path: String?
    /// What is wrong and, where possible, what to do.
    public var reason: String

    /// Creates an error.
    public init(path: String?, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
