/// The eight rotations and reflections of an image that PDQ can hash from one DCT.
public enum PDQDihedral: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// The image as it is.
    case original
    /// Rotated 90° counter-clockwise.
    case rotate90
    /// Rotated 180°.
    case rotate180
    /// Rotated 90° clockwise.
    case rotate270
    /// Upside-down (mirrored across the horizontal axis).
    case flipX
    /// Left-right mirror.
    case flipY
    /// Transposed (mirrored across the main diagonal).
    case flipPlus1
    /// Anti-transposed (mirrored across the other diagonal).
    case flipMinus1

    public var description: String {
        ["original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1"][rawValue]
    }
}
