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
        let text = "\(Self.fileHeader)\n\(Data(key.rawRepresentation).base64EncodedString())\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw OriginKeyError(path: path, reason: "cannot create the key file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw OriginKeyError(path: path, reason: "cannot write the key file: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads a key file, refusing one that group or others may read.
    public static func read(from path: String) throws(OriginKeyError) -> OriginKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw OriginKeyError(path: path, reason: "cannot read the key file: \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw OriginKeyError(
                path: path,
                reason:
                    "permissions \(String(mode, radix: 8)) let others read the origin key; run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OriginKeyError(path: path, reason: "cannot read the key file")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 2, lines[0] == fileHeader, let seed = Data(base64Encoded: lines[1]) else {
            throw OriginKeyError(path: path, reason: "not a \(fileHeader) file")
        }
        do { return try OriginKey(seed: Array(seed)) } catch {
            throw OriginKeyError(path: path, reason: error.reason)
        }
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
