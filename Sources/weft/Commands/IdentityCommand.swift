import ArgumentParser
import WeftCore
import WeftStore

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
        discussion: "The card holds no secret. TLS endpoint and pin fields are added by the federation layer."
    )

    @OptionGroup var home: HomeOptions

    func run() throws {
        try runReporting {
            let node = try NodeHome.open(home)
            let key = try node.originKey()
            guard key.originID.hex == node.config.origin else {
                throw CLIFailure("origin.key does not match the origin id in config.json", status: ExitStatus.dataError)
            }
            print(try CanonicalJSON.string(PeerCard(name: node.config.name, publicKey: key.publicKey).json))
        }
    }
}

/// A node's card: what another member needs to accept its bundles.
struct PeerCard {
    static let version = 1
    var name: String
    var publicKey: OriginPublicKey

    var json: JSONValue {
        [
            "weft_card": .integer(Self.version), "name": .string(name), "origin": .string(publicKey.originID.hex),
            "public_key": .string(publicKey.base64),
        ]
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
        try reader.finish()
    }
}
