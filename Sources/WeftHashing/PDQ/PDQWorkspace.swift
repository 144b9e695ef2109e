/// Reusable buffers for hashing many images on one thread or task.
///
/// Hashing needs two float buffers the size of the image. Allocating them per image means fresh pages from the
/// kernel every time (glibc serves blocks this large with mmap), which measurably slows hashing; a workspace
/// keeps them, growing to the largest image seen. Not for sharing between threads: give each its own.
public final class PDQWorkspace {
    private var luma: [Float] = []
    private var scratch: [Float] = []

    /// Creates an empty workspace.
    public init() {}

    /// The hash and quality of `image`.
    public func hash(_ image: RGBImage) -> PDQHasher.Result {
        withBuffers(image) { luma, scratch in
            PDQHasher.hash(luma: luma, scratch: scratch, rows: image.height, columns: image.width)
        }
    }

    /// The eight dihedral hashes of `image`, in ``PDQDihedral`` order, and its quality.
    public func dihedralHashes(_ image: RGBImage) -> (hashes: [PDQHash], quality: Int) {
        withBuffers(image) { luma, scratch in
            PDQHasher.dihedralHashes(luma: luma, scratch: scratch, rows: image.height, columns: image.width)
        }
    }

    private func withBuffers<T>(
        _ image: RGBImage, _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> T
    ) -> T {
        let count = max(image.width * image.height, 1)
        // The second filter round writes rows × 64 sampled columns into scratch, more than rows × columns for
        // images narrower than 64.
        let scratchCount = max(count, image.height * 64)
        if luma.count < count { luma = [Float](repeating: 0, count: count) }
        if scratch.count < scratchCount { scratch = [Float](repeating: 0, count: scratchCount) }
        return luma.withUnsafeMutableBufferPointer { luma in
            scratch.withUnsafeMutableBufferPointer { scratch in
                PDQHasher.fillLuma(image, into: luma.baseAddress!)
                return body(
                    UnsafeMutableBufferPointer(rebasing: luma[0..<count]),
                    UnsafeMutableBufferPointer(rebasing: scratch[0..<scratchCount]))
            }
        }
    }
}
