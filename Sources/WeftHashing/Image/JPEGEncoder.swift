import CJPEGDecode

/// Writes baseline JPEG with Debian's libjpeg-turbo. The simulator uses it for recompressed copies of images,
/// the commonest perturbation a reposted picture goes through.
public enum JPEGEncoder {
    /// Encodes an 8-bit RGB or grey image at `quality` (1–100). The same pixels and quality give the same bytes.
    public static func encode(_ image: RGBImage, quality: Int) throws(ImageDecodingError) -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality \(quality) is outside 1…100")
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            weft_jpeg_encode(
                pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.samplesPerPixel),
                Int32(quality), &output, &size, &message, message.count)
        }
        defer { weft_jpeg_free(output) }
        guard status == Int32(WEFT_JPEG_OK), let output else {
            let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImageDecodingError(.corrupt, text.isEmpty ? "libjpeg could not encode the image" : text)
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
