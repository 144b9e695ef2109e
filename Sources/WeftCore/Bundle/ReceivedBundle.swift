import Crypto

/// A bundle as received from a peer or a file, taken through the stateless steps of the verification order.
///
/// The store runs the full order (DESIGN.md §3), interleaving these steps with the ones that need state:
/// size limits → envelope parse (``init(envelopeBytes:limits:)``) → origin known and not revoked (store) →
/// signature (``checkSignature(with:)``) → `seq`/`prev` continuity (store, using ``readHeader()``) → canonical
/// form (``checkCanonical(_:)``) → audience (``checkAudience(_:node:)``) → records (``readRecords(_:header:limits:)``,
/// then the store's reference checks) → apply.
public struct ReceivedBundle: Sendable {
    /// The envelope exactly as received; stored verbatim.
    public let envelopeBytes: [UInt8]
    /// The parsed envelope.
    public let envelope: DSSEEnvelope
    /// The bundle id, the SHA-256 of the payload bytes.
    public let id: BundleID
    /// The origin named by the signature's key id.
    public let signer: OriginID

    /// Steps 1–2: size limits and envelope parse.
    public init(envelopeBytes: [UInt8], limits: BundleLimits = .standard) throws(BundleRejection) {
        guard envelopeBytes.count <= limits.maximumEnvelopeBytes else {
            throw BundleRejection(
                .tooLarge, "envelope of \(envelopeBytes.count) bytes exceeds \(limits.maximumEnvelopeBytes)")
        }
        let envelope: DSSEEnvelope
        do { envelope = try DSSEEnvelope(jsonBytes: envelopeBytes) } catch {
            throw BundleRejection(.malformedEnvelope, error.description)
        }
        guard envelope.payloadType == BundlePayload.payloadType else {
            throw BundleRejection(
                .malformedEnvelope,
                "payload type '\(envelope.payloadType)' is not \(BundlePayload.payloadType)")
        }
        guard envelope.payload.count <= limits.maximumPayloadBytes else {
            throw BundleRejection(
                .tooLarge, "payload of \(envelope.payload.count) bytes exceeds \(limits.maximumPayloadBytes)")
        }
        guard envelope.signatures.count == 1 else {
            throw BundleRejection(
                .malformedEnvelope, "a v1 bundle carries exactly one signature, found \(envelope.signatures.count)")
        }
        let signer: OriginID
        do { signer = try OriginID(hex: envelope.signatures[0].keyID) } catch {
            throw BundleRejection(.malformedEnvelope, "signature key id: \(error.reason)")
        }
        self.envelopeBytes = envelopeBytes
        self.envelope = envelope
        self.id = BundleID(payload: envelope.payload)
        self.signer = signer
    }

    /// Step 4: the signature over DSSE's PAE verifies under the signer's key.
    public func checkSignature(with key: OriginPublicKey) throws(BundleRejection) {
        guard key.originID == signer else {
            throw BundleRejection(
                .badSignature, "key id names \(signer.short) but the key given is \(key.originID.short)", bundleID: id)
        }
        let signature = envelope.signatures[0].signature
        guard signature.count == 64, key.isValidSignature(signature, for: envelope.preAuthenticationEncoding) else {
            throw BundleRejection(
                .badSignature, "the Ed25519 signature does not verify under origin \(signer.short)", bundleID: id)
        }
    }

    /// Step 5's input: parses the payload and reads its header; the header's origin must be the signer.
    public func readHeader() throws(BundleRejection) -> (header: BundleHeader, payload: JSONValue) {
        let value: JSONValue
        do { value = try JSONParser.parse(envelope.payload) } catch {
            throw BundleRejection(.malformedPayload, "payload is not JSON: \(error)", bundleID: id)
        }
        let header: BundleHeader
        do { header = try BundleHeader(payload: value) } catch {
            throw BundleRejection(.malformedPayload, error.description, bundleID: id)
        }
        guard header.origin == signer else {
            throw BundleRejection(
                .malformedPayload,
                "payload origin \(header.origin.short) is not the signer \(signer.short)", bundleID: id)
        }
        return (header, value)
    }

    /// Step 6: the payload bytes are the RFC 8785 form of their value, so they are the only encoding of it.
    public func checkCanonical(_ payload: JSONValue) throws(BundleRejection) {
        if CanonicalShape.isEvident(envelope.payload) { return }
        let canonical: [UInt8]
        do { canonical = try CanonicalJSON.encode(payload) } catch {
            throw BundleRejection(.nonCanonical, error.description, bundleID: id)
        }
        if let at = canonical.firstDifference(from: envelope.payload) {
            throw BundleRejection(.nonCanonical, "payload differs from its RFC 8785 form at byte \(at)", bundleID: id)
        }
    }

    /// Step 7: this node is in the bundle's audience.
    public func checkAudience(_ header: BundleHeader, node: OriginID) throws(BundleRejection) {
        guard header.audience.includes(node, publisher: header.origin) else {
            throw BundleRejection(
                .notInAudience,
                "channel '\(header.channel)' is for \(header.audience.members.count) members, not this node \(node.short)",
                bundleID: id)
        }
    }

    /// Step 8 (the part that needs no state): every record is valid and within the limits.
    public func readRecords(
        _ payload: JSONValue, header: BundleHeader,
        limits: BundleLimits = .standard
    ) throws(BundleRejection) -> BundlePayload {
        var reportIDs: [SHA256Digest] = []
        return try readRecords(payload, header: header, limits: limits, reportIDs: &reportIDs)
    }

    /// ``readRecords(_:header:limits:)`` that also gives each report's id digest, in order.
    public func readRecords(
        _ payload: JSONValue, header: BundleHeader, limits: BundleLimits, reportIDs: inout [SHA256Digest]
    ) throws(BundleRejection) -> BundlePayload {
        do { return try BundlePayload(json: payload, header: header, limits: limits, reportIDs: &reportIDs) } catch {
            throw BundleRejection(.invalidRecord, error.description, bundleID: id)
        }
    }
}
