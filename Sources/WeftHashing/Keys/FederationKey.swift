import Crypto
import WeftCore

/// The secret every member of a federation shares. It keys the hashes of account identifiers and handles, and
/// the MinHash permutations of text, so outsiders cannot test guesses against shared indicators.
///
/// Sub-keys for each use are derived with HKDF-SHA256, so one purpose's outputs say nothing about another's.
/// Stored like origin keys: a `weft-federation-key-v1` file with mode 0600.
public struct FederationKey: Sendable {
    /// The first line of a key file.
    public static let fileHeader = "weft-federation-key-v1"

    let secret: SymmetricKey

    /// A key from its 32 secret bytes.
    public init(bytes: [UInt8]) throws(OriginKeyError) {
        guard bytes.count == 32 else {
            throw OriginKeyError(path: nil, reason: "a federation key is 32 bytes, got \(bytes.count)")
        }
        secret = SymmetricKey(data: bytes)
    }

    /// A new random key (for the member who founds the federation).
    public static func generate() -> FederationKey {
        try! FederationKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Reads a key file, refusing one that group or others may read.
    public static func read(from path: String) throws(OriginKeyError) -> FederationKey {
        let bytes = try SecretFile.read(from: path, header: fileHeader)
        do { return try FederationKey(bytes: bytes) } catch { throw OriginKeyError(path: path, reason: error.reason) }
    }

    /// Writes the key to a new file with mode 0600.
    public func write(to path: String) throws(OriginKeyError) {
        try SecretFile.write(secret.withUnsafeBytes { Array($0) }, header: Self.fileHeader, to: path)
    }

    /// The sub-key for one purpose, e.g. `account` or `text.minhash`.
    func derived(_ purpose: String, length: Int = 32) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secret, salt: Array("weft.federation.v1".utf8),
            info: Array(purpose.utf8), outputByteCount: length)
    }

    /// HMAC-SHA256 under the sub-key for `purpose`, in lower-case hex.
    func mac(_ purpose: String, _ message: [UInt8]) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: derived(purpose)))
    }
}
