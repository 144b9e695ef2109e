/// Who may receive a bundle: its Traffic Light Protocol marking and, for group channels, the member origins.
///
/// The federation channel is `clear` or `green` with no member list; a group channel is `amber` or
/// `amber+strict` with at least one member. TLP:RED is refused outright: red material never leaves its node,
/// so it never goes into a bundle.
public struct Audience: Sendable, Hashable {
    /// A TLP 2.0 marking that may travel.
    public enum TLP: String, Sendable, CaseIterable {
        case clear
        case green
        case amber
        case amberStrict = "amber+strict"
    }

    /// The marking.
    public var tlp: TLP
    /// The origins allowed to receive the bundle; empty for the federation channel (every member).
    public var members: [OriginID]

    /// Everyone in the federation, marked TLP:GREEN.
    public static let federation = Audience(uncheckedTLP: .green, members: [])

    private init(uncheckedTLP tlp: TLP, members: [OriginID]) {
        self.tlp = tlp
        self.members = members
    }

    /// Creates an audience for `channel`, checking that marking, members and channel agree.
    public init(tlp: TLP, members: [OriginID], channel: Channel) throws(RecordError) {
        let sorted = Array(Set(members)).sorted()
        if channel.isFederation {
            guard tlp == .clear || tlp == .green else {
                throw RecordError(
                    record: "", field: "audience.tlp",
                    reason:
                        "the federation channel is TLP:CLEAR or TLP:GREEN; use a group channel for \(tlp.rawValue)")
            }
            guard members.isEmpty else {
                throw RecordError(
                    record: "", field: "audience.members", reason: "the federation channel has no member list")
            }
        } else {
            guard tlp == .amber || tlp == .amberStrict else {
                throw RecordError(
                    record: "", field: "audience.tlp",
                    reason:
                        "group channel '\(channel)' must be TLP:AMBER or TLP:AMBER+STRICT")
            }
            guard !sorted.isEmpty else {
                throw RecordError(
                    record: "", field: "audience.members", reason: "a group channel needs at least one member")
            }
            guard sorted.count == members.count else {
                throw RecordError(record: "", field: "audience.members", reason: "lists a member more than once")
            }
        }
        self.tlp = tlp
        self.members = sorted
    }

    /// True when `origin` may receive bundles with this audience; the publishing origin always may.
    public func includes(_ origin: OriginID, publisher: OriginID) -> Bool {
        members.isEmpty || origin == publisher || members.contains(origin)
    }
}

extension Audience {
    /// Reads an audience for `channel` from its wire form.
    public init(json: JSONValue, channel: Channel, record: String) throws(RecordError) {
        var reader = try FieldReader(json, record: record)
        let tlpText = try reader.string("tlp")
        guard let tlp = TLP(rawValue: tlpText) else {
            let reason =
                tlpText == "red"
                ? "TLP:RED never leaves its node and cannot be published"
                : "'\(tlpText)' is not a TLP marking (clear, green, amber, amber+strict)"
            throw reader.error("tlp", reason)
        }
        var members: [OriginID] = []
        for (index, text) in try reader.strings("members").enumerated() {
            do { members.append(try OriginID(hex: text)) } catch {
                throw reader.error("members[\(index)]", error.reason)
            }
        }
        try reader.finish()
        do { try self.init(tlp: tlp, members: members, channel: channel) } catch { throw error.nested(in: record) }
    }

    /// The wire form; the member list is omitted when empty.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["tlp": .string(tlp.rawValue)]
        if !self.members.isEmpty { members["members"] = .array(self.members.map { .string($0.hex) }) }
        return .object(members)
    }
}
