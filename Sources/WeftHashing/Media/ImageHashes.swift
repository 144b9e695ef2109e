import Crypto
import WeftCore

/// Everything a node derives from one image file: exact media digests and the PDQ hash with its quality.
public struct ImageHashes: Sendable, Hashable {
    /// Width and height of the decoded image.
    public var width: Int
    public var height: Int
    /// MD5 of the file bytes (lower-case hex), as many platforms' exact-match lists use.
    public var md5: String
    /// SHA-256 of the file bytes (lower-case hex).
    public var sha256: String
    /// The PDQ hash and quality of the decoded pixels.
    public var pdq: PDQHasher.Result
    /// The eight dihedral hashes, when asked for.
    public var dihedral: [PDQHash]?
    /// Why the PDQ hash should not be shared or matched (low quality, degenerate), if it should not.
    public var pdqProblem: String?

    /// Decodes and hashes an image file's bytes.
    public init(
        fileBytes: [UInt8], limits: ImageDecodingLimits = .standard, dihedral: Bool = false,
        matcher: PDQMatcher = PDQMatcher(), workspace: PDQWorkspace = PDQWorkspace()
    ) throws(ImageDecodingError) {
        let image = try ImageDecoder.decode(fileBytes, limits: limits)
        width = image.width
        height = image.height
        md5 = Hex.encode(Insecure.MD5.hash(data: fileBytes))
        sha256 = Hex.encode(SHA256.hash(data: fileBytes))
        if dihedral {
            let all = workspace.dihedralHashes(image)
            self.dihedral = all.hashes
            // The original's hash comes from the single-hash path, which differs only for exactly 64×64 input.
            pdq = workspace.hash(image)
        } else {
            pdq = workspace.hash(image)
            self.dihedral = nil
        }
        pdqProblem = matcher.problem(pdq.hash, quality: pdq.quality)
    }
}
