/// Matching rules for PDQ hashes (DESIGN.md §2): Hamming distance ≤ 31 against all eight dihedral variants of the
/// query, and only for hashes of quality ≥ 50 that are not degenerate.
public struct PDQMatcher: Sendable {
    /// The largest distance that counts as a match (Meta's recommended 31).
    public var maximumDistance: Int
    /// The lowest quality a hash may have to be matched or shared (Meta's recommended 50).
    public var minimumQuality: Int

    /// Creates a matcher.
    public init(maximumDistance: Int = 31, minimumQuality: Int = 50) {
        self.maximumDistance = maximumDistance
        self.minimumQuality = minimumQuality
    }

    /// The smallest distance from any of `queryVariants` (the query's dihedral hashes) to `candidate`, and which
    /// variant gave it; `nil` when none is within ``maximumDistance``.
    public func match(_ queryVariants: [PDQHash], against candidate: PDQHash) -> (distance: Int, variant: PDQDihedral)?
    {
        var best: (Int, PDQDihedral)?
        for (index, variant) in queryVariants.enumerated() {
            let distance = variant.distance(to: candidate)
            if distance <= maximumDistance, distance < (best?.0 ?? .max) {
                best = (distance, PDQDihedral(rawValue: index) ?? .original)
            }
        }
        return best
    }

    /// Why a hash should not be shared or matched, or `nil` when it is usable.
    public func problem(_ hash: PDQHash, quality: Int) -> String? {
        if quality < minimumQuality { return "quality \(quality) is below \(minimumQuality)" }
        if let reason = Self.degeneracy(hash) { return reason }
        return nil
    }

    /// Detects hashes that carry no information: a median threshold sets about half the bits of any real image
    /// (exactly 128 when coefficients are distinct), so a count far from 128 means ties dominated; and all-zero
    /// is what images below the minimum size hash to.
    public static func degeneracy(_ hash: PDQHash) -> String? {
        let bits = hash.popCount
        if bits == 0 { return "the hash is all zeros (image too small or blank)" }
        if bits < 96 || bits > 160 { return "\(bits) of 256 bits set: the image's coefficients tie at the median" }
        return nil
    }
}
