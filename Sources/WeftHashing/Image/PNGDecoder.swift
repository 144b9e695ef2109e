import CLibPNG

/// Decodes PNG with Debian's libpng (simplified API).
///
/// Rules (docs/hashing.md): palette and low-bit-depth images are expanded to 8 bits; 16-bit samples are reduced
/// to 8 bits by libpng; alpha is dropped without compositing, so hidden colour under transparent pixels counts,
/// as in python-threatexchange; greyscale stays greyscale, so its luma is the grey value itself.
public enum PNGDecoder {
    /// The PNG signature.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// True when `bytes` starts like a PNG.
    public static func recognizes(_ bytes: [UInt8]) -> Bool { bytes.starts(with: signature) }

    /// Decodes PNG bytes.
    public static func decode(
        _ bytes: [UInt8], limits: ImageDecodingLimits = .standard
    ) throws(ImageDecodingError)
        -> RGBImage
    {
        guard recognizes(bytes) else { throw ImageDecodingError(.unsupportedFormat, "not a PNG file") }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw ImageDecodingError(.corrupt, message(image)) }
        let width = Int(image.width)
        let height = Int(image.height)
        try limits.check(width: width, height: height)
        let isColour = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        // Ask for alpha even when there is none, so libpng never composites; then drop it.
        image.format = isColour ? UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA) : UInt32(PNG_FORMAT_FLAG_ALPHA)
        let channels = isColour ? 4 : 2
        var buffer = [UInt8](repeating: 0, count: width * height * channels)
        let finished = buffer.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
        }
        guard finished != 0 else { throw ImageDecodingError(.corrupt, message(image)) }
        let kept = channels - 1
        var pixels = [UInt8](repeating: 0, count: width * height * kept)
        pixels.withUnsafeMutableBufferPointer { out in
            buffer.withUnsafeBufferPointer { source in
                for index in 0..<(width * height) {
                    for channel in 0..<kept { out[index * kept + channel] = source[index * channels + channel] }
                }
            }
        }
        return RGBImage(width: width, height: height, format: isColour ? .rgb : .grey, pixels: pixels)
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty
                ? "libpng could not read the image" : "libpng: " + String(decoding: bytes, as: UTF8.self)
        }
    }
}
