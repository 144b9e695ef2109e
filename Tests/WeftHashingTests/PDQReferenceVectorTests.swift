import Crypto
import Foundation
import Testing
import WeftCore

@testable import WeftHashing

/// Bit-exactness with Meta's reference core on every vector of `expected_pdq.csv` that ships pixels,
/// tie-sensitive rows included.
@Suite struct PDQReferenceVectorTests {
    static let rows: [[String: String]] = (try? TestData.csv("pdq/expected_pdq.csv")) ?? []
    static let pixelRows = rows.filter { !($0["pixels_png"] ?? "").isEmpty }

    @Test func theVectorFileIsThere() {
        #expect(Self.rows.count == 39)
        #expect(Self.pixelRows.count == 24)
        #expect(Self.pixelRows.filter { $0["tie_sensitive"] == "1" }.count == 3)
    }

    @Test(arguments: pixelRows.map { $0["name"]! })
    func hashQualityAndDihedralsMatchExactly(name: String) throws {
        let row = try #require(Self.pixelRows.first { $0["name"] == name })
        let image = try PNGDecoder.decode(try TestData.bytes("pdq/" + row["pixels_png"]!))
        #expect(image.width == Int(row["width"]!) && image.height == Int(row["height"]!), "\(name)")
        #expect(image.format == .rgb)
        #expect(Hex.encode(SHA256.hash(data: image.pixels)) == row["rgb_sha256"], "\(name): decoded pixels differ")

        let result = PDQHasher.hash(image)
        #expect(result.hash.hex == row["pdq_hex"], "\(name) hash")
        #expect(result.quality == Int(row["quality"]!), "\(name) quality")

        let dihedral = PDQHasher.dihedralHashes(image)
        let columns = [
            "dih_orig", "dih_rot90", "dih_rot180", "dih_rot270", "dih_flipx", "dih_flipy", "dih_flipplus1",
            "dih_flipminus1",
        ]
        for (variant, column) in zip(PDQDihedral.allCases, columns) {
            #expect(dihedral.hashes[variant.rawValue].hex == row[column], "\(name) \(variant)")
        }
        #expect(dihedral.quality == result.quality)
    }

    @Test func hexRoundTripsAndDistanceCounts() throws {
        let hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
        let hash = try #require(PDQHash(hex: hex))
        #expect(hash.hex == hex)
        #expect(hash.distance(to: hash) == 0)
        let inverted = PDQHash(words: (~hash.words.0, ~hash.words.1, ~hash.words.2, ~hash.words.3))
        #expect(hash.distance(to: inverted) == 256)
        #expect(PDQHash(hex: hex.uppercased()) == nil)
        #expect(PDQHash(hex: String(hex.dropLast())) == nil)
    }
}
