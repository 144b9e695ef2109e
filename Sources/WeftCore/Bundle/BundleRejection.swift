/// Why a received bundle was refused. Each step of the verification order (DESIGN.md §3) has its own code, so
/// logs, audit entries and metrics can count rejections by reason.
///
/// Like NIO's `FileSystemError`, the code is an extensible struct, the message says what was wrong, and the
/// error records where in Weft it was raised. Compare codes, not messages.
public struct BundleRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of rejection. Each code is also the `reason` written to the audit log.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name, as logged and audited.
        public let name: String
        public var description: String { name }

        /// The envelope or its payload exceeds the size limits.
        public static let tooLarge = Code(name: "too-large")
        /// The bytes are not a DSSE envelope of Weft's payload type.
        public static let malformedEnvelope = Code(name: "malformed-envelope")
        /// The signing key is not a known origin.
        public static let unknownOrigin = Code(name: "unknown-origin")
        /// The origin has been revoked.
        public static let revokedOrigin = Code(name: "revoked-origin")
        /// The origin is quarantined (it equivocated or an admin suspended it).
        public static let quarantinedOrigin = Code(name: "quarantined-origin")
        /// The signature does not verify under the origin's key.
        public static let badSignature = Code(name: "bad-signature")
        /// The payload is not a well-formed bundle payload (header fields, version, origin mismatch).
        public static let malformedPayload = Code(name: "malformed-payload")
        /// The origin signed two different bundles for one place in a feed: the origin is quarantined.
        public static let equivocation = Code(name: "equivocation")
        /// The payload is not in RFC 8785 canonical form.
        public static let nonCanonical = Code(name: "non-canonical")
        /// This node is not in the bundle's audience.
        public static let notInAudience = Code(name: "not-in-audience")
        /// A case, report or retraction is invalid, or refers to something the feed never declared.
        public static let invalidRecord = Code(name: "invalid-record")
        /// The bundle would wait behind a gap, but its feed already holds as many such bundles as allowed.
        public static let heldLimit = Code(name: "held-limit")
    }

    /// The class of rejection.
    public var code: Code
    /// What exactly was wrong.
    public var message: String
    /// The bundle's id, once the payload could be read.
    public var bundleID: BundleID?
    /// Where in Weft the rejection was raised, for maintainers.
    public var location: String

    /// Creates a rejection, recording the source location.
    public init(
        _ code: Code, _ message: String, bundleID: BundleID? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.bundleID = bundleID
        self.location = "\(file):\(line)"
    }

    public var description: String { "rejected (\(code)): \(message)" }

    /// A longer form for logs, with the bundle id and source location.
    public var detailedDescription: String {
        "\(description)" + (bundleID.map { " [bundle \($0)]" } ?? "") + " [at \(location)]"
    }

    public static func == (lhs: BundleRejection, rhs: BundleRejection) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.bundleID == rhs.bundleID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
