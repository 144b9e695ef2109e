import Testing
import WeftHashing

/// The JPEG writer the simulator uses for recompressed copies.
@Suite struct JPEGEncoderTests {
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x * 255 / width), UInt8(y * 255 / height), UInt8((x + y) % 256)] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func encodedPixelsDecodeToTheSameSizeAndCloseValuesAndTheSameBytesEveryTime() throws {
        let image = Self.gradient(width: 80, height: 48)
        let bytes = try JPEGEncoder.encode(image, quality: 90)
        #expect(JPEGDecoder.recognizes(bytes))
        #expect(try JPEGEncoder.encode(image, quality: 90) == bytes)
        let decoded = try JPEGDecoder.decode(bytes)
        #expect(decoded.width == 80 && decoded.height == 48 && decoded.format == .rgb)
        let error = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(Double(error) / Double(image.pixels.count) < 4, "mean error per sample too large at quality 90")
        #expect(try JPEGEncoder.encode(image, quality: 20).count < bytes.count)
    }

    @Test func greyImagesStayGrey() throws {
        let grey = RGBImage(width: 16, height: 16, format: .grey, pixels: (0..<256).map { UInt8($0) })
        #expect(try JPEGDecoder.decode(try JPEGEncoder.encode(grey, quality: 75)).format == .grey)
    }
}
