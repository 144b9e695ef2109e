import Crypto
import Foundation
import Testing
import WeftCore

@testable import WeftHashing

/// Decoding upstream JPEGs and PNGs with Debian's libraries, the documented rules, and refusals.
@Suite struct ImageDecodingTests {
    static let rows = (try? TestData.csv("pdq/expected_pdq.csv")) ?? []

    /// Rows made from an upstream JPEG, with the JPEG's path under `source/`.
    static let jpegRows: [(name: String, path: String)] = rows.compactMap { row in
        guard let origin = row["origin"], origin.hasPrefix("facebook/ThreatExchange:"),
            let path = origin.dropFirst("facebook/ThreatExchange:".count).split(separator: " ").first,
            path.hasSuffix(".jpg") || path.hasSuffix(".jpeg")
        else { return nil }
        return (row["name"]!, "pdq/source/" + path)
    }

    @Test func everyUpstreamJPEGIsWithinToleranceOfItsExpectedHash() throws {
        #expect(Self.jpegRows.count == 30)
        var exact = 0
        for (name, path) in Self.jpegRows {
            let row = try #require(Self.rows.first { $0["name"] == name })
            let image = try JPEGDecoder.decode(try TestData.bytes(path))
            let result = PDQHasher.hash(image)
            let expected = try #require(PDQHash(hex: row["pdq_hex"]!))
            let distance = result.hash.distance(to: expected)
            if Int(row["quality"]!)! >= 80 { #expect(distance <= 10, "\(name): distance \(distance)") }
            if distance == 0 { exact += 1 }
            if let sha = row["rgb_sha256"], !(row["pixels_png"] ?? "").isEmpty, image.format == .rgb {
                // Same library as Pillow: the decoded pixels themselves should agree.
                #expect(Hex.encode(SHA256.hash(data: image.pixels)) == sha, "\(name): pixels differ from Pillow's")
            }
        }
        // libjpeg-turbo with default settings is what Pillow used: every hash is reproduced exactly here.
        #expect(exact == Self.jpegRows.count)
    }

    @Test func rotatedAndFlippedPhotosMatchTheRightDihedralVariant() throws {
        let original = PDQHasher.dihedralHashes(
            try JPEGDecoder.decode(try TestData.bytes("pdq/source/pdq/data/reg-test-input/dih/bridge-1-original.jpg")))
        let files: [(String, PDQDihedral)] = [
            ("bridge-2-rotate-90", .rotate90), ("bridge-3-rotate-180", .rotate180), ("bridge-4-rotate-270", .rotate270),
            ("bridge-5-flipx", .flipX), ("bridge-6-flipy", .flipY), ("bridge-7-flip-plus-1", .flipPlus1),
            ("bridge-8-flip-minus-1", .flipMinus1),
        ]
        for (file, variant) in files {
            let image = try JPEGDecoder.decode(try TestData.bytes("pdq/source/pdq/data/reg-test-input/dih/\(file).jpg"))
            let plain = PDQHasher.hash(image).hash
            #expect(original.hashes[0].distance(to: plain) > 31, "\(file) should not match without dihedrals")
            let match = try #require(PDQMatcher().match(original.hashes, against: plain), "\(file) did not match")
            #expect(match.variant == variant, "\(file)")
            #expect(match.distance <= 8, "\(file): \(match.distance)")
        }
    }

    @Test func exifOrientationIsNotApplied() throws {
        let plain = try TestData.bytes("pdq/source/pdq/data/reg-test-input/labelme-subset/q0122.jpg")
        // Insert an APP1 Exif segment saying "rotate 90° clockwise" (orientation 6) after the SOI marker.
        var tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]  // big-endian TIFF, IFD at offset 8
        tiff += [0x00, 0x01]  // one entry
        tiff += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]  // tag Orientation, type SHORT, count 1
        tiff += [0x00, 0x06, 0x00, 0x00]  // value 6
        tiff += [0x00, 0x00, 0x00, 0x00]  // no next IFD
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        let rotated = Array(plain[0..<2]) + segment + Array(plain[2...])
        let a = try JPEGDecoder.decode(plain)
        let b = try JPEGDecoder.decode(rotated)
        #expect(a == b)
        #expect(PDQHasher.hash(a) == PDQHasher.hash(b))
    }

    @Test func greyscaleWithAlphaDecodesAsGreyAndMatchesPythonThreatExchange() throws {
        // python-threatexchange's own test image (grey + alpha) and the hash its test publishes. It converts to RGB
        // first; we hash grey values directly (the reference core's grey path), within the decoder tolerance.
        let image = try PNGDecoder.decode(
            try TestData.bytes("pdq/source/python-threatexchange/threatexchange/tests/hashing/resources/LA.png"))
        #expect(image.format == .grey)
        let result = PDQHasher.hash(image)
        let published = try #require(PDQHash(hex: "accb6d39648035f8125c8ce6ba65007de7b54c67a2d93ef7b8f33b0611306715"))
        #expect(result.quality == 100)
        #expect(result.hash.distance(to: published) <= 10, "distance \(result.hash.distance(to: published))")
        let sixteenBit = try PNGDecoder.decode(
            try TestData.bytes("pdq/source/python-threatexchange/threatexchange/tests/hashing/resources/I16.png"))
        #expect(sixteenBit.format == .grey)
    }

    @Test func alphaIsDroppedWithoutCompositing() throws {
        // pen-and-coaster.png is RGBA upstream; the reference pixels are Pillow's RGB conversion, which drops alpha.
        let image = try PNGDecoder.decode(try TestData.bytes("pdq/source/pdq/data/reg-test-input/pen-and-coaster.png"))
        let row = try #require(Self.rows.first { $0["name"] == "pen-and-coaster" })
        #expect(image.format == .rgb)
        #expect(Hex.encode(SHA256.hash(data: image.pixels)) == row["rgb_sha256"])
        #expect(PDQHasher.hash(image).hash.hex == row["pdq_hex"])
    }

    @Test func paletteAndGreyPNGsRoundTrip() throws {
        let palette: [(UInt8, UInt8, UInt8)] = [(255, 0, 0), (0, 128, 255), (10, 20, 30), (250, 250, 250)]
        let indices: [UInt8] = (0..<(37 * 23)).map { (index: Int) -> UInt8 in UInt8((index * 7 + index / 37) % 4) }
        let encoded = try PNGEncoder.encodePalette(indices: indices, palette: palette, width: 37, height: 23)
        #expect(encoded[25] == 3)  // IHDR colour type 3: a real palette PNG
        let decoded = try PNGDecoder.decode(encoded)
        #expect(decoded.format == .rgb && decoded.width == 37 && decoded.height == 23)
        let expected: [UInt8] = indices.flatMap { (index: UInt8) -> [UInt8] in
            let colour = palette[Int(index)]
            return [colour.0, colour.1, colour.2]
        }
        #expect(decoded.pixels == expected)
        let greyPixels: [UInt8] = (0..<54).map { (value: Int) -> UInt8 in UInt8(value * 4) }
        let grey = RGBImage(width: 9, height: 6, format: .grey, pixels: greyPixels)
        #expect(try PNGDecoder.decode(try PNGEncoder.encode(grey)) == grey)
        let rgbPixels: [UInt8] = (0..<75).map { (value: Int) -> UInt8 in UInt8((value * 37) % 256) }
        let rgb = RGBImage(width: 5, height: 5, pixels: rgbPixels)
        #expect(try PNGDecoder.decode(try PNGEncoder.encode(rgb)) == rgb)
    }

    @Test func brokenAndUnsupportedInputGivesClearErrors() throws {
        let jpeg = try TestData.bytes("pdq/source/pdq/data/misc-images/wee.jpg")
        let png = try TestData.bytes("pdq/pixels/wee.png")
        func code(_ bytes: [UInt8], limits: ImageDecodingLimits = .standard) -> ImageDecodingError.Code? {
            do {
                _ = try ImageDecoder.decode(bytes, limits: limits)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(jpeg) == nil && code(png) == nil)
        #expect(code(Array(jpeg.prefix(200))) == .corrupt)
        #expect(code(Array(png.prefix(100))) == .corrupt)
        var damaged = png
        damaged[40] ^= 0xFF  // inside IHDR: its CRC no longer matches
        #expect(code(damaged) == .corrupt)
        #expect(code(Array("GIF89a......".utf8)) == .unsupportedFormat)
        #expect(code(jpeg, limits: ImageDecodingLimits(maximumPixels: 100)) == .tooManyPixels)
        #expect(code(png, limits: ImageDecodingLimits(maximumPixels: 100)) == .tooManyPixels)
        // A PNG header claiming 100,000 × 100,000 pixels is refused before anything is allocated.
        var bomb = Array(png.prefix(33))
        bomb.replaceSubrange(16..<24, with: [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0])
        let crc = Self.crc32(Array(bomb[12..<29]))
        let crcBytes: [UInt8] = [
            UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF),
        ]
        bomb.replaceSubrange(29..<33, with: crcBytes)
        bomb += png[33...]  // the real chunks after IHDR, so the header reads completely
        #expect(code(bomb) == .tooManyPixels)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
