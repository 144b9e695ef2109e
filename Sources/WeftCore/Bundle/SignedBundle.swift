/// A bundle this node made and signed: the payload, its canonical bytes inside a DSSE envelope, and its id.
public struct SignedBundle: Sendable {
    /// The content.
    public let payload: BundlePayload
    /// The signed envelope.
    public let envelope: DSSEEnvelope
    /// The bundle id.
    public let id: BundleID

    /// Signs `payload` with `key`, whose origin must be the payload's origin.
    public init(payload: BundlePayload, key: OriginKey) {
        precondition(payload.header.origin == key.originID, "a node signs only its own feeds")
        let bytes = payload.canonicalBytes
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: BundlePayload.payloadType, payload: bytes)
        self.payload = payload
        self.envelope = DSSEEnvelope(
            payloadType: BundlePayload.payloadType, payload: bytes,
            signatures: [.init(keyID: key.originID.hex, signature: key.signature(for: pae))])
        self.id = BundleID(payload: bytes)
    }

    /// The envelope's JSON bytes, as sent and stored.
    public var envelopeBytes: [UInt8] { envelope.jsonBytes }
}

/// The head of a feed: the last bundle's position and id.
public struct FeedPosition: Sendable, Hashable {
    /// The last sequence number.
    public var seq: Int
    /// The last bundle's id.
    public var id: BundleID

    /// Creates a position.
    public init(seq: Int, id: BundleID) {
        self.seq = seq
        self.id = id
    }
}
