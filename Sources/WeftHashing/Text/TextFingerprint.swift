import Crypto
import WeftCore

/// The indicator values of one post's text: the exact hash of its normal form and a keyed MinHash-128
/// signature for near-duplicate matching. The text itself never leaves the node.
public struct TextFingerprint: Sendable, Hashable {
    /// The normal form (kept locally; never published).
    public var normalized: String
    /// `text.sha256`: SHA-256 of the normal form's UTF-8, lower-case hex.
    public var sha256: String
    /// `text.minhash`: the MinHash signature.
    public var minHash: MinHashSignature

    /// Fingerprints `text` under the federation's MinHash permutations.
    public init(text: String, hasher: MinHasher) {
        normalized = TextNormalizer.normalize(text)
        sha256 = Hex.sha256(Array(normalized.utf8))
        minHash = hasher.signature(of: normalized)
    }
}
