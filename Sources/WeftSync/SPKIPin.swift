import NIOSSL
import WeftCore

/// The SHA-256 of a certificate's DER SubjectPublicKeyInfo, in lower-case hex: how a peer is recognised on the
/// wire. The same value `certs/spki-pin.sh` prints.
public struct SPKIPin: Sendable, Hashable, CustomStringConvertible {
    /// 64 lower-case hex digits.
    public let hex: String

    /// The pin of a certificate.
    public init(certificate: NIOSSLCertificate) throws {
        hex = Hex.sha256(try certificate.extractPublicKey().toSPKIBytes())
    }

    /// The pin of the first certificate in a PEM file.
    public init(pemFile path: String) throws {
        guard let first = try NIOSSLCertificate.fromPEMFile(path).first else {
            throw SyncError.configuration("\(path) holds no certificate")
        }
        try self.init(certificate: first)
    }

    public var description: String { hex }
}
