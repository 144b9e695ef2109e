/// A JSON text that Weft refuses, with the reason and the byte offset where reading stopped.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem was found. Compare codes, not messages, in tests and in `catch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The text is not JSON at all at this point.
        public static let syntax = Code(name: "syntax")
        /// The same member name appears twice in one object (I-JSON forbids it; signed data must be unambiguous).
        public static let duplicateKey = Code(name: "duplicate-key")
        /// A `\u` escape encodes half of a UTF-16 surrogate pair, which no Unicode string can hold.
        public static let loneSurrogate = Code(name: "lone-surrogate")
        /// The bytes are not valid UTF-8.
        public static let invalidUTF8 = Code(name: "invalid-utf8")
        /// A number lies outside the range the parser was told to accept (by default ±2^53).
        public static let numberOutOfRange = Code(name: "number-out-of-range")
        /// A number is NaN or infinite, which JSON cannot express.
        public static let nonFiniteNumber = Code(name: "non-finite-number")
        /// The text is valid JSON but not in RFC 8785 canonical form, where canonical form was required.
        public static let nonCanonical = Code(name: "non-canonical")
        /// Arrays and objects nest deeper than the parser allows.
        public static let tooDeep = Code(name: "too-deep")
    }

    /// What went wrong.
    public var code: Code
    /// The byte offset in the input where the problem was found, if it came from parsing.
    public var offset: Int?
    /// A sentence for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, offset: Int?, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String {
        if let offset { return "\(message) (at byte \(offset))" }
        return message
    }
}
