import CLibPNG

/// Writes PNG with Debian's libpng (simplified API): 8-bit RGB or grey, or a palette image. Used to make test
/// media and simulated platforms' photos.
public enum PNGEncoder {
    /// Encodes an 8-bit RGB or grey image.
    public static func encode(_ image: RGBImage) throws(ImageDecodingError) -> [UInt8] {
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        header.width = UInt32(image.width)
        header.height = UInt32(image.height)
        header.format = image.format == .rgb ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0
        return try write(&header) { header, size, output in
            image.pixels.withUnsafeBytes { pixels in
                png_image_write_to_memory(header, output, size, 0, pixels.baseAddress, 0, nil)
            }
        }
    }

    /// Encodes a palette image: one index per pixel into `palette`, a list of RGB colours (at most 256).
    public static func encodePalette(
        indices: [UInt8], palette: [(UInt8, UInt8, UInt8)], width: Int, height: Int
    )
        throws(ImageDecodingError) -> [UInt8]
    {
        precondition(indices.count == width * height && (1...256).contains(palette.count))
        var header = png_image()
        header.version = UInt32(PNG_IMAGE_VERSION)
        header.width = UInt32(width)
        header.height = UInt32(height)
        header.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_COLORMAP)
        header.colormap_entries = UInt32(palette.count)
        let colormap = palette.flatMap { [$0.0, $0.1, $0.2] }
        return try write(&header) { header, size, output in
            indices.withUnsafeBytes { pixels in
                colormap.withUnsafeBytes { map in
                    png_image_write_to_memory(header, output, size, 0, pixels.baseAddress, 0, map.baseAddress)
                }
            }
        }
    }

    /// Asks libpng for the size, then writes into a buffer of that size.
    private static func write(
        _ header: inout png_image,
        _ body: (UnsafeMutablePointer<png_image>, UnsafeMutablePointer<png_alloc_size_t>, UnsafeMutableRawPointer?) ->
            Int32
    ) throws(ImageDecodingError) -> [UInt8] {
        defer { png_image_free(&header) }
        return try withUnsafeMutablePointer(to: &header) { (header) throws(ImageDecodingError) -> [UInt8] in
            var size: png_alloc_size_t = 0
            guard body(header, &size, nil) != 0, size > 0 else {
                throw ImageDecodingError(.corrupt, "libpng could not size the PNG")
            }
            var buffer = [UInt8](repeating: 0, count: Int(size))
            let written = buffer.withUnsafeMutableBytes { body(header, &size, $0.baseAddress) }
            guard written != 0 else { throw ImageDecodingError(.corrupt, "libpng could not write the PNG") }
            return Array(buffer.prefix(Int(size)))
        }
    }
}
