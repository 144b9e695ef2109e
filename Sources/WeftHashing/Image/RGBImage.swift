/// Decoded pixels, 8 bits per sample, row-major, top row first.
public struct RGBImage: Sendable, Hashable {
    /// How samples are laid out.
    public enum Format: Sendable, Hashable {
        /// Three samples per pixel, R, G, B.
        case rgb
        /// One grey sample per pixel.
        case grey
    }

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// The sample layout.
    public let format: Format
    /// `width × height × samplesPerPixel` samples.
    public let pixels: [UInt8]

    /// Samples per pixel: 3 or 1.
    public var samplesPerPixel: Int { format == .rgb ? 3 : 1 }

    /// Wraps pixels; the count must match the dimensions.
    public init(width: Int, height: Int, format: Format = .rgb, pixels: [UInt8]) {
        precondition(
            width >= 0 && height >= 0 && pixels.count == width * height * (format == .rgb ? 3 : 1),
            "pixel count does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.format = format
        self.pixels = pixels
    }
}
