import ArgumentParser
import WeftCore
import WeftServer
import WeftStore
import WeftSync

/// `weft identity export`: the node's card, which another member imports with `weft origin add --card`.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Show or export this node's identity.",
        subcommands: [IdentityExportCommand.self]
    )
}

struct IdentityExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print this node's card (name, origin id, Ed25519 public key) as JSON for other members to import.",
        discussion: """
            The card holds no secret. When the node has a server section (weft config server), the card also \
            carries its public URL and its TLS certificate's SPKI pin, so `weft peer add --card` needs nothing else.
            """
    )

    @OptionGroup var home: HomeOptions

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let key = try node.originKey()
            guard key.originID.hex == node.config.origin else {
                throw CLIFailure("origin.key does not match the origin id in config.json", status: ExitStatus.dataError)
            }
            var card = PeerCard(name: node.config.name, publicKey: key.publicKey)
            if let server = node.config.server {
                card.url = server.publicURL
                card.spkiPin = try node.tlsIdentity(server).pin.hex
            }
            print(try CanonicalJSON.string(card.json))
        }
    }
}

/// A node's card: what another member needs to accept its bundles and, when present, to sync with it.
struct PeerCard {
    static let version = 1
    var name: String
    var publicKey: OriginPublicKey
    /// The node's sync URL.
    var url: String?
    /// The SPKI pin of the node's TLS certificate.
    var spkiPin: String?

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "weft_card": .integer(Self.version), "name": .string(name), "origin": .string(publicKey.originID.hex),
            "public_key": .string(publicKey.base64),
        ]
        if let url { object["url"] = .string(url) }
        if let spkiPin { object["spki_pin"] = .string(spkiPin) }
        return .object(object)
    }

    init(name: String, publicKey: OriginPublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    init(json: JSONValue) throws(RecordError) {
        var reader = try FieldReader(json, record: "card")
        let version = try reader.integer("weft_card", in: 1...1)
        _ = version
        name = try reader.string("name")
        publicKey = try reader.parsed("public_key", OriginPublicKey.init(base64:))
        let origin = try reader.string("origin")
        guard origin == publicKey.originID.hex else {
            throw reader.error("origin", "does not match the public key (expected \(publicKey.originID.hex))")
        }
        url = try reader.optionalString("url")
        spkiPin = try reader.optionalString("spki_pin")
        try reader.finish()
    }
}
