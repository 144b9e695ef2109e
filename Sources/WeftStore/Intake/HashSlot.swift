import Crypto
import GRDB
import WeftCore

/// Where rows keyed by a SHA-256 (indicators by key, reports by id) sit in their unique index.
///
/// A unique index over 64-character hex keys costs a random descent through wide pages for every insert; at a
/// million reports that was most of the writer's time (docs/benchmarks.md). These tables instead append rows in
/// arrival order and index a 62-bit integer taken from the hash: a slot. Two different hashes with the same slot
/// (about one chance in 10^7 at ten million rows) are kept apart by probing: the second takes the next free slot,
/// and a lookup scans the few slots from the hash's own. Slots are physical, like rowids: checksums and
/// rebuild comparisons read the full keys, never the slots.
enum HashSlot {
    /// How many consecutive slots a key may occupy from its own; a lookup reads this range.
    static let probes: Int64 = 16

    /// The home slot of a SHA-256 whose first 64 bits (big-endian) are `leadingBits`: those bits shifted to 62,
    /// so that a probe range never overflows.
    static func home(leadingBits: UInt64) -> Int64 {
        Int64(leadingBits >> 2)
    }

    /// The home slot of a hex SHA-256 (``home(leadingBits:)`` of its first 16 digits).
    static func home(hex: String) -> Int64 {
        var value: UInt64 = 0
        var count = 0
        for byte in hex.utf8 {
            guard count < 16 else { break }
            let digit: UInt64 =
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt64(byte - UInt8(ascii: "A") + 10)
                default: 0
                }
            value = value << 4 | digit
            count += 1
        }
        return Int64(value >> 2)
    }

    /// The value of `report.case_slot` for a case: 62 bits of `sha256("weft.case.v1" ‖ 0 ‖ origin ‖ 0 ‖ channel ‖ 0 ‖
    /// case id)`. Reports are found by case through this integer rather than the three text columns, whose 90-byte
    /// keys made the old by-case index a sixth of the writer's time: since migration 11 through the runs keyed by it
    /// (`case_run`, ``ReportWriter``). Lookups also compare the columns, so two cases with the same value stay apart.
    static func caseSlot(origin: String, channel: String, caseID: String) -> Int64 {
        var hasher = SHA256()
        hasher.update(data: Array("weft.case.v1\u{0}\(origin)\u{0}\(channel)\u{0}\(caseID)".utf8))
        return home(leadingBits: hasher.finalize().leadingBits)
    }

    /// The local id of the indicator with this key, if held.
    static func indicatorID(_ db: Database, key: String) throws -> Int64? {
        let slot = home(hex: key)
        return try Int64.fetchOne(
            db, sql: "SELECT id FROM indicator WHERE slot >= ? AND slot < ? AND key = ?",
            arguments: [slot, slot + probes, key])
    }

    /// Whether the report with this id is held in the given feed.
    static func reportExists(_ db: Database, id: String, origin: String, channel: String) throws -> Bool {
        let slot = home(hex: id)
        return try Bool.fetchOne(
            db,
            sql: """
                SELECT 1 FROM report WHERE slot >= ? AND slot < ? AND id = ? AND origin = ? AND channel = ?
                """, arguments: [slot, slot + probes, id, origin, channel]) ?? false
    }

    /// The failure when every probe slot of a key is taken by other keys: with 62-bit slots this means the store
    /// is corrupt or under a deliberate collision attack, so the write stops rather than guess.
    static func exhausted(_ table: String, key: String) -> DatabaseError {
        DatabaseError(
            resultCode: .SQLITE_CONSTRAINT,
            message: "\(table): the \(probes) slots from \(key.prefix(16))… all hold other keys")
    }
}
