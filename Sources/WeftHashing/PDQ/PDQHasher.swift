/// PDQ perceptual hashing, bit-exact with Meta's reference C++ core (facebook/ThreatExchange `pdq/cpp`) when fed
/// the same pixels: float32 luma, a two-pass tent filter to 64×64, a 16×16 DCT, and a median threshold.
///
/// ```swift
/// let result = PDQHasher.hash(image)        // image: an RGBImage from PNGDecoder or JPEGDecoder
/// if result.quality >= 50 { print(result.hash.hex) }
/// ```
///
/// There is no pre-resize: the hash is of the full-resolution pixels, as python-threatexchange, `pdqhash` and
/// the Java port compute it (Meta's CLI tools alone resize to 512×512 first).
public enum PDQHasher {
    /// Images with a side below this hash to all zeros with quality 0.
    public static let minimumDimension = 5

    /// A hash and its quality (0–100; Meta recommends discarding hashes below 50).
    public struct Result: Sendable, Hashable {
        /// The hash.
        public var hash: PDQHash
        /// The quality metric.
        public var quality: Int
    }

    /// The hash of an image. To hash many images on one thread, reuse a ``PDQWorkspace`` instead.
    public static func hash(_ image: RGBImage) -> Result { PDQWorkspace().hash(image) }

    /// The hashes of all eight dihedral variants, in ``PDQDihedral`` order, and the quality.
    public static func dihedralHashes(_ image: RGBImage) -> (hashes: [PDQHash], quality: Int) {
        PDQWorkspace().dihedralHashes(image)
    }

    /// Converts pixels to float32 luma, `Y = (0.299·R + 0.587·G) + 0.114·B`; grey pixels are their own luma.
    /// Eight pixels go at a time, each lane computing exactly the scalar expression.
    static func fillLuma(_ image: RGBImage, into luma: UnsafeMutablePointer<Float>) {
        let count = image.width * image.height
        image.pixels.withUnsafeBufferPointer { buffer in
            guard let pixels = buffer.baseAddress else { return }
            switch image.format {
            case .rgb:
                let r: Float = 0.299
                let g: Float = 0.587
                let b: Float = 0.114
                let rv = SIMD8(repeating: r)
                let gv = SIMD8(repeating: g)
                let bv = SIMD8(repeating: b)
                var index = 0
                let output = UnsafeMutableRawPointer(luma)
                while index + 8 <= count {
                    let p = pixels + 3 * index
                    let red = SIMD8<Float>(SIMD8<UInt8>(p[0], p[3], p[6], p[9], p[12], p[15], p[18], p[21]))
                    let green = SIMD8<Float>(SIMD8<UInt8>(p[1], p[4], p[7], p[10], p[13], p[16], p[19], p[22]))
                    let blue = SIMD8<Float>(SIMD8<UInt8>(p[2], p[5], p[8], p[11], p[14], p[17], p[20], p[23]))
                    let first = PDQTransform.product(rv, red) + PDQTransform.product(gv, green)
                    output.storeBytes(
                        of: first + PDQTransform.product(bv, blue), toByteOffset: index * 4, as: SIMD8<Float>.self)
                    index += 8
                }
                while index < count {
                    let red = Float(pixels[3 * index])
                    let green = Float(pixels[3 * index + 1])
                    let blue = Float(pixels[3 * index + 2])
                    let first = PDQTransform.product(r, red) + PDQTransform.product(g, green)
                    luma[index] = first + PDQTransform.product(b, blue)
                    index += 1
                }
            case .grey:
                for index in 0..<count { luma[index] = Float(pixels[index]) }
            }
        }
    }

    static func hash(
        luma: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>, rows: Int,
        columns: Int
    ) -> Result {
        guard rows >= minimumDimension, columns >= minimumDimension else { return Result(hash: .zero, quality: 0) }
        return withDCT(luma: luma, scratch: scratch, rows: rows, columns: columns, bypass64: true) {
            coefficients, quality in
            Result(hash: PDQTransform.threshold(coefficients), quality: quality)
        }
    }

    static func dihedralHashes(
        luma: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
        rows: Int, columns: Int
    ) -> (hashes: [PDQHash], quality: Int) {
        guard rows >= minimumDimension, columns >= minimumDimension else {
            return ([PDQHash](repeating: .zero, count: 8), 0)
        }
        return withDCT(luma: luma, scratch: scratch, rows: rows, columns: columns, bypass64: false) {
            coefficients, quality in
            let hashes = PDQTransform.dihedralCoefficients(coefficients).map { variant in
                variant.withUnsafeBufferPointer { PDQTransform.threshold($0) }
            }
            return (hashes, quality)
        }
    }

    /// Reduces luma to 64×64 (the single-hash path copies an exactly 64×64 input unfiltered, as the reference's
    /// does; the dihedral path always filters), then computes quality and the 16×16 DCT.
    static func withDCT<T>(
        luma: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>, rows: Int,
        columns: Int, bypass64: Bool,
        _ body: (UnsafeBufferPointer<Float>, Int) -> T
    ) -> T {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64 * 64) { small in
            if bypass64 && rows == 64 && columns == 64 {
                for index in 0..<(64 * 64) { small[index] = luma[index] }
            } else {
                JaroszFilter.filterAndDecimate(
                    luma.baseAddress!, scratch: scratch.baseAddress!, rows: rows, columns: columns,
                    into: small.baseAddress!)
            }
            let quality = PDQTransform.quality(UnsafeBufferPointer(small))
            return withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { coefficients in
                PDQTransform.dct(UnsafeBufferPointer(small), into: coefficients)
                return body(UnsafeBufferPointer(coefficients), quality)
            }
        }
    }
}
