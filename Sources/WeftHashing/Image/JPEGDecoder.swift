import CJPEGDecode

/// Decodes JPEG with Debian's libjpeg-turbo, with its default settings (as Pillow uses it), so pixels match what
/// the reference vectors were made from.
///
/// Rules (docs/hashing.md): EXIF orientation is **not** applied (pixels are hashed as stored, as
/// python-threatexchange does; dihedral matching finds rotated copies); greyscale stays greyscale; CMYK is
/// refused.
public enum JPEGDecoder {
    /// True when `bytes` starts with a JPEG start-of-image marker.
    public static func recognizes(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0xFF, 0xD8, 0xFF]) }

    /// Decodes JPEG bytes.
    public static func decode(
        _ bytes: [UInt8], limits: ImageDecodingLimits = .standard
    ) throws(ImageDecodingError)
        -> RGBImage
    {
        guard recognizes(bytes) else { throw ImageDecodingError(.unsupportedFormat, "not a JPEG file") }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var components: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            weft_jpeg_decode(
                data.baseAddress, data.count, limits.maximumPixels, &pixels, &width, &height, &components,
                &message, message.count)
        }
        defer { weft_jpeg_free(pixels) }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch Int(status) {
        case Int(WEFT_JPEG_OK): break
        case Int(WEFT_JPEG_TOO_MANY_PIXELS): throw ImageDecodingError(.tooManyPixels, text)
        case Int(WEFT_JPEG_UNSUPPORTED): throw ImageDecodingError(.unsupportedFormat, text)
        default: throw ImageDecodingError(.corrupt, text.isEmpty ? "libjpeg could not decode the image" : text)
        }
        let count = Int(width) * Int(height) * Int(components)
        let format: RGBImage.Format = components == 1 ? .grey : .rgb
        return RGBImage(
            width: Int(width), height: Int(height), format: format,
            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}

/// Decodes PNG or JPEG by content, not by file name.
public enum ImageDecoder {
    /// Decodes `bytes`, choosing the decoder from the file's signature.
    public static func decode(
        _ bytes: [UInt8], limits: ImageDecodingLimits = .standard
    ) throws(ImageDecodingError)
        -> RGBImage
    {
        if PNGDecoder.recognizes(bytes) { return try PNGDecoder.decode(bytes, limits: limits) }
        if JPEGDecoder.recognizes(bytes) { return try JPEGDecoder.decode(bytes, limits: limits) }
        throw ImageDecodingError(.unsupportedFormat, "neither PNG nor JPEG (Weft decodes those two)")
    }
}
