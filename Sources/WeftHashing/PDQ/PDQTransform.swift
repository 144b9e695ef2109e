import Foundation

/// The 64×64 → 16×16 DCT (DC row and column dropped), the quality metric, and the dihedral transforms of the
/// DCT, each in the reference's float32 order: sums accumulate with k ascending and no fused multiply-add.
enum PDQTransform {
    /// D[i][j] = (float)((float)√(2/64) · cos(π/2/64 · (i+1) · (2j+1))), 16 × 64.
    static let dctMatrix: [Float] = {
        let scale = Float(sqrt(2.0 / 64.0))
        var matrix = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                matrix[i * 64 + j] = Float(Double(scale) * cos(Double.pi / 2 / 64 * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return matrix
    }()

    /// Dᵀ, 64 × 16, so that eight consecutive j of D[j][k] are contiguous for the second product.
    static let dctMatrixTransposed: [Float] = {
        var transposed = [Float](repeating: 0, count: 64 * 16)
        for i in 0..<16 { for k in 0..<64 { transposed[k * 16 + i] = dctMatrix[i * 64 + k] } }
        return transposed
    }()

    /// B = D · A · Dᵀ for a 64×64 buffer A, giving 16×16.
    ///
    /// Each output is its own k-ascending float32 sum, as in the reference; eight outputs with consecutive j
    /// accumulate side by side in one vector, which changes no output's order of operations.
    @inline(never) static func dct(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>)
    {
        dctMatrix.withUnsafeBufferPointer { d in
            dctMatrixTransposed.withUnsafeBufferPointer { dT in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * 64) { t in
                    let a = UnsafeRawPointer(input.baseAddress!)
                    for i in 0..<16 {
                        for block in stride(from: 0, to: 64, by: 8) {
                            var sum = SIMD8<Float>(repeating: 0)
                            for k in 0..<64 {
                                let row = a.loadUnaligned(fromByteOffset: (k * 64 + block) * 4, as: SIMD8<Float>.self)
                                sum += product(SIMD8(repeating: d[i * 64 + k]), row)
                            }
                            for lane in 0..<8 { t[i * 64 + block + lane] = sum[lane] }
                        }
                    }
                    let dTRaw = UnsafeRawPointer(dT.baseAddress!)
                    for i in 0..<16 {
                        for block in stride(from: 0, to: 16, by: 8) {
                            var sum = SIMD8<Float>(repeating: 0)
                            for k in 0..<64 {
                                let column = dTRaw.loadUnaligned(
                                    fromByteOffset: (k * 16 + block) * 4, as: SIMD8<Float>.self)
                                sum += product(SIMD8(repeating: t[i * 64 + k]), column)
                            }
                            for lane in 0..<8 { output[i * 16 + block + lane] = sum[lane] }
                        }
                    }
                }
            }
        }
    }

    /// The vector form of ``product(_:_:)``: lane-wise multiply, kept apart from the following addition.
    @inline(__always)
    static func product(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a * b }

    /// A product the optimiser may not fuse with the following addition: the reference is built without FMA,
    /// and fusing changes hashes of degenerate images.
    @inline(__always)
    static func product(_ a: Float, _ b: Float) -> Float { a * b }

    /// Counts significant vertical and horizontal gradients of the 64×64 buffer, 0…100.
    @inline(never) static func quality(_ buffer: UnsafeBufferPointer<Float>) -> Int {
        var gradientSum = 0
        for i in 0..<63 {
            for j in 0..<64 {
                let difference = Int(((buffer[i * 64 + j] - buffer[(i + 1) * 64 + j]) * 100) / 255)
                gradientSum += abs(difference)
            }
        }
        for i in 0..<64 {
            for j in 0..<63 {
                let difference = Int(((buffer[i * 64 + j] - buffer[i * 64 + j + 1]) * 100) / 255)
                gradientSum += abs(difference)
            }
        }
        return min(gradientSum / 90, 100)
    }

    /// Sets bit 16·i + j when B[i][j] exceeds the Torben median of the 256 coefficients.
    @inline(never) static func threshold(_ coefficients: UnsafeBufferPointer<Float>) -> PDQHash {
        let median = TorbenMedian.median(coefficients)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 256) { bits in
            for k in 0..<256 { bits[k] = coefficients[k] > median }
            return PDQHash(bits: UnsafeBufferPointer(bits))
        }
    }

    /// The DCT of each dihedral image, derived from the original's DCT without re-hashing. Order: original,
    /// rotate 90° counter-clockwise, rotate 180°, rotate 90° clockwise, upside-down, left-right mirror,
    /// transpose, anti-transpose (the order of ``PDQDihedral``).
    static func dihedralCoefficients(_ b: UnsafeBufferPointer<Float>) -> [[Float]] {
        var variants = [[Float]](repeating: [Float](repeating: 0, count: 256), count: 8)
        for i in 0..<16 {
            for j in 0..<16 {
                let value = b[i * 16 + j]
                let iOdd = i & 1 == 1
                let jOdd = j & 1 == 1
                let sumOdd = (i + j) & 1 == 1
                variants[0][i * 16 + j] = value
                variants[1][j * 16 + i] = jOdd ? value : -value
                variants[2][i * 16 + j] = sumOdd ? -value : value
                variants[3][j * 16 + i] = iOdd ? value : -value
                variants[4][i * 16 + j] = iOdd ? value : -value
                variants[5][i * 16 + j] = jOdd ? value : -value
                variants[6][j * 16 + i] = value
                variants[7][j * 16 + i] = sumOdd ? -value : value
            }
        }
        return variants
    }
}
