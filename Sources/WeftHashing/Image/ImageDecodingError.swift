/// An image that could not be decoded: which file (if known), and why.
public struct ImageDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem.
    public enum Code: String, Sendable {
        /// Not a format Weft decodes (PNG and JPEG are).
        case unsupportedFormat = "unsupported-format"
        /// The file is cut short or damaged.
        case corrupt
        /// Width × height exceeds the configured pixel limit (a decompression bomb, or simply too large).
        case tooManyPixels = "too-many-pixels"
    }

    /// What went wrong.
    public var code: Code
    /// The decoder's explanation.
    public var message: String
    /// The file, when decoding from one.
    public var path: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { (path.map { "\($0): " } ?? "") + "\(code.rawValue): \(message)" }
}

/// Limits applied before decoding allocates any pixel memory.
public struct ImageDecodingLimits: Sendable, Hashable {
    /// The most pixels (width × height) an image may have.
    public var maximumPixels: Int

    /// Creates limits.
    public init(maximumPixels: Int = 50_000_000) { self.maximumPixels = maximumPixels }

    /// 50 megapixels: above any camera photo a platform is likely to hash, far below a decompression bomb.
    public static let standard = ImageDecodingLimits()

    func check(width: Int, height: Int) throws(ImageDecodingError) {
        guard width > 0, height > 0 else {
            throw ImageDecodingError(.corrupt, "image has no pixels (\(width)×\(height))")
        }
        guard width.multipliedReportingOverflow(by: height).partialValue <= maximumPixels,
            !width.multipliedReportingOverflow(by: height).overflow
        else {
            throw ImageDecodingError(
                .tooManyPixels, "\(width)×\(height) exceeds the limit of \(maximumPixels) pixels; nothing was allocated"
            )
        }
    }
}
