import NIOSSL

/// A node's TLS material: its certificate chain and private key, and the CA certificates it accepts peers'
/// certificates from. Both directions use TLS 1.3 only and require a certificate from the other side.
public struct TLSIdentity: Sendable {
    /// The node's certificate chain, leaf first.
    public let chain: [NIOSSLCertificate]
    /// The node's private key.
    public let key: NIOSSLPrivateKey
    /// The federation CA (and any member CAs) that peers' certificates must chain to.
    public let trustRoots: [NIOSSLCertificate]
    /// The pin of the node's own certificate, for its peer card.
    public let pin: SPKIPin

    /// Loads PEM files. Every problem is reported with the file it concerns.
    public init(certificateFile: String, keyFile: String, trustRootFiles: [String]) throws {
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateFile) } catch {
            throw SyncError.configuration("cannot read certificate \(certificateFile): \(error)")
        }
        guard let leaf = chain.first else { throw SyncError.configuration("\(certificateFile) holds no certificate") }
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw SyncError.configuration("cannot read private key \(keyFile): \(error)")
        }
        guard !trustRootFiles.isEmpty else { throw SyncError.configuration("no trust roots (CA certificates) given") }
        var roots: [NIOSSLCertificate] = []
        for file in trustRootFiles {
            do { roots += try NIOSSLCertificate.fromPEMFile(file) } catch {
                throw SyncError.configuration("cannot read trust root \(file): \(error)")
            }
        }
        trustRoots = roots
        pin = try SPKIPin(certificate: leaf)
        // BoringSSL checks that the key belongs to the certificate when a context is made; do it now, once.
        do { _ = try NIOSSLContext(configuration: serverConfiguration) } catch {
            throw SyncError.configuration("\(keyFile) does not fit \(certificateFile): \(error)")
        }
    }

    /// Server side: TLS 1.3, a client certificate chaining to the trust roots is required. Clients have no
    /// host names to check; they are identified afterwards by their certificate's SPKI pin.
    public var serverConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(trustRoots)
        return configuration
    }

    /// Client side: TLS 1.3, the server's certificate must chain to the trust roots; the caller then checks the
    /// peer's pin, which binds the connection to one trust-table entry whatever name the URL uses.
    public var clientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(trustRoots)
        configuration.certificateChain = chain.map { .certificate($0) }
        configuration.privateKey = .privateKey(key)
        return configuration
    }
}
