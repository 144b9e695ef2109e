import WeftHashing

/// Draws the scenario's pictures: a seeded composition of a gradient and shapes (enough structure for a PDQ
/// quality well above 50), and the perturbations a picture goes through when people repost it.
enum ImageSynthesis {
    /// A square picture of side `side`, the same for the same seed.
    static func picture(seed: UInt64, side: Int) -> RGBImage {
        var random = SeededRandom(seed: seed)
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        let from = color(&random)
        let to = color(&random)
        let vertical = random.chance(0.5)
        for y in 0..<side {
            for x in 0..<side {
                let t = Double(vertical ? y : x) / Double(side - 1)
                let offset = (y * side + x) * 3
                for channel in 0..<3 {
                    pixels[offset + channel] = UInt8(Double(from[channel]) * (1 - t) + Double(to[channel]) * t)
                }
            }
        }
        for _ in 0..<random.int(in: 8...14) {
            let fill = color(&random)
            let cx = random.int(in: 0...(side - 1))
            let cy = random.int(in: 0...(side - 1))
            let rx = random.int(in: (side / 12)...(side / 3))
            let ry = random.int(in: (side / 12)...(side / 3))
            let ellipse = random.chance(0.5)
            for y in max(0, cy - ry)...min(side - 1, cy + ry) {
                for x in max(0, cx - rx)...min(side - 1, cx + rx) {
                    if ellipse {
                        let dx = Double(x - cx) / Double(rx)
                        let dy = Double(y - cy) / Double(ry)
                        if dx * dx + dy * dy > 1 { continue }
                    }
                    let offset = (y * side + x) * 3
                    pixels[offset] = fill[0]
                    pixels[offset + 1] = fill[1]
                    pixels[offset + 2] = fill[2]
                }
            }
        }
        // Photographs are smooth at the pixel scale; a box blur takes the aliasing off the shapes' edges.
        return blur(RGBImage(width: side, height: side, pixels: pixels))
    }

    /// A 3×3 box blur (edges clamp).
    static func blur(_ image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        let width = image.width
        let height = image.height
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    var sum = 0
                    for dy in -1...1 {
                        for dx in -1...1 {
                            let px = min(max(x + dx, 0), width - 1)
                            let py = min(max(y + dy, 0), height - 1)
                            sum += Int(image.pixels[(py * width + px) * 3 + channel])
                        }
                    }
                    pixels[(y * width + x) * 3 + channel] = UInt8(sum / 9)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private static func color(_ random: inout SeededRandom) -> [UInt8] {
        (0..<3).map { _ in UInt8(random.int(in: 0...255)) }
    }

    /// What happened to a copy on its way to a platform.
    struct Perturbation: Sendable, Hashable {
        /// New side as a fraction of the original (1 = unchanged).
        var scale: Double = 1
        /// Fraction cut from each edge (0 = none).
        var crop: Double = 0
        /// A caption bar drawn over the bottom, with this seed for its "text".
        var overlay: UInt64?
        /// Mirrored left to right.
        var flip = false
        /// Saved as JPEG at this quality, or PNG when nil.
        var jpegQuality: Int?

        /// A random realistic mix: most copies are recompressed, many resized, some cropped, captioned or flipped.
        static func random(_ random: inout SeededRandom, allowFlip: Bool) -> Perturbation {
            var result = Perturbation()
            if random.chance(0.5) { result.scale = random.double(in: 0.7...1.3) }
            if random.chance(0.25) { result.crop = random.double(in: 0.005...0.015) }
            if random.chance(0.2) { result.overlay = random.next() }
            if allowFlip && random.chance(0.1) { result.flip = true }
            result.jpegQuality = random.chance(0.8) ? random.int(in: 55...92) : nil
            return result
        }
    }

    /// Applies `perturbation` and encodes the file.
    static func file(_ image: RGBImage, _ perturbation: Perturbation) throws -> (bytes: [UInt8], isJPEG: Bool) {
        var image = image
        if perturbation.crop > 0 { image = crop(image, perturbation.crop) }
        if perturbation.scale != 1 {
            let side = max(32, Int(Double(image.width) * perturbation.scale))
            image = resize(image, width: side, height: max(32, side * image.height / image.width))
        }
        if let overlay = perturbation.overlay { image = caption(image, seed: overlay) }
        if perturbation.flip { image = mirror(image) }
        if let quality = perturbation.jpegQuality { return (try JPEGEncoder.encode(image, quality: quality), true) }
        return (try PNGEncoder.encode(image), false)
    }

    static func crop(_ image: RGBImage, _ fraction: Double) -> RGBImage {
        let dx = Int(Double(image.width) * fraction)
        let dy = Int(Double(image.height) * fraction)
        let width = image.width - 2 * dx
        let height = image.height - 2 * dy
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in dy..<(dy + height) {
            let row = (y * image.width + dx) * 3
            pixels += image.pixels[row..<(row + width * 3)]
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Bilinear resampling.
    static func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let sx = Double(image.width - 1) / Double(max(1, width - 1))
        let sy = Double(image.height - 1) / Double(max(1, height - 1))
        for y in 0..<height {
            let fy = Double(y) * sy
            let y0 = Int(fy)
            let y1 = min(y0 + 1, image.height - 1)
            let wy = fy - Double(y0)
            for x in 0..<width {
                let fx = Double(x) * sx
                let x0 = Int(fx)
                let x1 = min(x0 + 1, image.width - 1)
                let wx = fx - Double(x0)
                for channel in 0..<3 {
                    func at(_ px: Int, _ py: Int) -> Double {
                        Double(image.pixels[(py * image.width + px) * 3 + channel])
                    }
                    let top = at(x0, y0) * (1 - wx) + at(x1, y0) * wx
                    let bottom = at(x0, y1) * (1 - wx) + at(x1, y1) * wx
                    pixels[(y * width + x) * 3 + channel] = UInt8((top * (1 - wy) + bottom * wy).rounded())
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A dark bar over the bottom eighth with light blocks standing in for caption text.
    static func caption(_ image: RGBImage, seed: UInt64) -> RGBImage {
        var random = SeededRandom(seed: seed)
        var pixels = image.pixels
        let barTop = image.height - max(4, image.height / 14)
        var x = 2
        var blocks: [(Int, Int)] = []
        while x < image.width - 4 {
            let width = random.int(in: 2...6)
            blocks.append((x, x + width))
            x += width + random.int(in: 1...3)
        }
        for y in barTop..<image.height {
            for x in 0..<image.width {
                let offset = (y * image.width + x) * 3
                let inText = y > barTop + 1 && y < image.height - 2 && blocks.contains { x >= $0.0 && x < $0.1 }
                // Half-transparent, as captions and watermarks usually are.
                let value = inText ? 235 : 20
                for channel in 0..<3 { pixels[offset + channel] = UInt8((Int(pixels[offset + channel]) + value) / 2) }
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }

    static func mirror(_ image: RGBImage) -> RGBImage {
        var pixels = image.pixels
        for y in 0..<image.height {
            for x in 0..<image.width {
                let from = (y * image.width + (image.width - 1 - x)) * 3
                let to = (y * image.width + x) * 3
                pixels[to] = image.pixels[from]
                pixels[to + 1] = image.pixels[from + 1]
                pixels[to + 2] = image.pixels[from + 2]
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: pixels)
    }
}
