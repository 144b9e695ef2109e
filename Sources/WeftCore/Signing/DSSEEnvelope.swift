import Foundation

/// A DSSE envelope (Dead Simple Signing Envelope, secure-systems-lab/dsse v1): a payload type, the payload
/// bytes, and signatures over the pre-authentication encoding of both.
///
/// Signing PAE rather than the raw payload binds the payload type into the signature, so bytes signed as one
/// type cannot be replayed as another.
public struct DSSEEnvelope: Sendable, Hashable {
    /// One signature and the id of the key that made it.
    public struct Signature: Sendable, Hashable {
        /// The signer's key id; for Weft, the origin id.
        public var keyID: String
        /// The raw signature bytes (64 for Ed25519).
        public var signature: [UInt8]

        /// Creates a signature entry.
        public init(keyID: String, signature: [UInt8]) {
            self.keyID = keyID
            self.signature = signature
        }
    }

    /// The media type of the payload.
    public var payloadType: String
    /// The payload bytes, exactly as signed.
    public var payload: [UInt8]
    /// The signatures.
    public var signatures: [Signature]

    /// Creates an envelope.
    public init(payloadType: String, payload: [UInt8], signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// DSSE's pre-authentication encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII
    /// decimal byte counts.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// The PAE of this envelope, the bytes its signatures cover.
    public var preAuthenticationEncoding: [UInt8] {
        Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    }

    /// The envelope as JSON, in canonical form: `{"payload":…,"payloadType":…,"signatures":[{"keyid":…,"sig":…}]}`.
    public var jsonBytes: [UInt8] {
        let value: JSONValue = .object([
            "payloadType": .string(payloadType),
            "payload": .string(Data(payload).base64EncodedString()),
            "signatures": .array(
                signatures.map {
                    .object(["keyid": .string($0.keyID), "sig": .string(Data($0.signature).base64EncodedString())])
                }),
        ])
        // Only strings inside: encoding cannot fail.
        return try! CanonicalJSON.encode(value)
    }

    /// Parses an envelope from JSON. Base64 fields must be standard base64 with padding.
    public init(jsonBytes: [UInt8]) throws(RecordError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonBytes) } catch {
            throw RecordError(record: "envelope", field: nil, reason: "not JSON: \(error)")
        }
        var reader = try FieldReader(value, record: "envelope")
        payloadType = try reader.string("payloadType")
        payload = try reader.parsed("payload", Self.decodeBase64)
        let entries = try reader.array("signatures")
        guard !entries.isEmpty else { throw reader.error("signatures", "the envelope is unsigned") }
        var signatures: [Signature] = []
        for (index, entry) in entries.enumerated() {
            var signatureReader = try FieldReader(entry, record: "envelope signatures[\(index)]")
            let keyID = try signatureReader.string("keyid")
            let bytes = try signatureReader.parsed("sig", Self.decodeBase64)
            try signatureReader.finish()
            signatures.append(Signature(keyID: keyID, signature: bytes))
        }
        self.signatures = signatures
        try reader.finish()
    }

    /// Strict standard base64 (``StrictBase64``), so one payload has one spelling.
    static func decodeBase64(_ text: String) throws(RecordError) -> [UInt8] {
        guard let bytes = StrictBase64.decode(text) else {
            throw RecordError(record: "", field: nil, reason: "not standard padded base64")
        }
        return bytes
    }
}
