import Crypto
import WeftCore
import WeftStore

/// The reports an ``IncrementalMerge`` holds, found by id and by (case, item), in flat rows: no string and no
/// collection per report. At ten million reports a dictionary of report entries per (case, item), keyed by id
/// strings, took several gigabytes more than these rows do.
struct HeldReports {
    /// One case's reports of one item.
    struct Location: Hashable {
        let caseIndex: Int
        let item: Int
    }

    /// What the merge needs of one report besides its case and item (whose kind and value are the report's).
    private struct Row {
        var key: ReportKey
        var caseIndex: Int32
        var item: Int32
        /// The row of the next older report of the same (case, item), or −1.
        var older: Int32
        var firstSeen: String
        var lastSeen: String
        var confidence: Int32
        var accountsBucket: Int16
        var flaggedBucket: Int16
    }

    private var rows: [Row] = []
    /// Rows of removed reports, reused by the next ones.
    private var freeRows: [Int32] = []
    private var rowOfReport: [ReportKey: Int32] = [:]
    /// The newest report of each (case, item); older ones follow through ``Row/older``.
    private var newestRow: [Location: Int32] = [:]

    /// Whether a report with this id is held.
    func contains(_ key: ReportKey) -> Bool { rowOfReport[key] != nil }

    /// Whether (case, item) has no reports.
    func isEmpty(at location: Location) -> Bool { newestRow[location] == nil }

    /// The ids of the reports of (case, item).
    func keys(at location: Location) -> [ReportKey] {
        var keys: [ReportKey] = []
        var row = newestRow[location] ?? -1
        while row >= 0 {
            keys.append(rows[Int(row)].key)
            row = rows[Int(row)].older
        }
        return keys
    }

    /// The reports of (case, item), as view entries of the item's kind and value.
    func entries(at location: Location, kind: IndicatorKind, value: String) -> [MergedView.ReportEntry] {
        var entries: [MergedView.ReportEntry] = []
        var row = newestRow[location] ?? -1
        while row >= 0 {
            let held = rows[Int(row)]
            entries.append(
                MergedView.ReportEntry(
                    caseIndex: location.caseIndex, kind: kind, value: value, firstSeen: held.firstSeen,
                    lastSeen: held.lastSeen, confidence: Int(held.confidence),
                    accountsBucket: Int(held.accountsBucket), flaggedBucket: Int(held.flaggedBucket)))
            row = held.older
        }
        return entries
    }

    /// Adds a report that is not held yet.
    mutating func insert(_ key: ReportKey, at location: Location, _ entry: MergedView.ReportEntry) {
        let row = Row(
            key: key, caseIndex: Int32(location.caseIndex), item: Int32(location.item),
            older: newestRow[location] ?? -1, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen,
            confidence: Int32(clamping: entry.confidence), accountsBucket: Int16(clamping: entry.accountsBucket),
            flaggedBucket: Int16(clamping: entry.flaggedBucket))
        let number: Int32
        if let reused = freeRows.popLast() {
            number = reused
            rows[Int(reused)] = row
        } else {
            number = Int32(rows.count)
            rows.append(row)
        }
        rowOfReport[key] = number
        newestRow[location] = number
    }

    /// Removes a report and returns where it was, or nil if it is not held.
    mutating func remove(_ key: ReportKey) -> Location? {
        guard let number = rowOfReport.removeValue(forKey: key) else { return nil }
        let removed = rows[Int(number)]
        let location = Location(caseIndex: Int(removed.caseIndex), item: Int(removed.item))
        if newestRow[location] == number {
            newestRow[location] = removed.older >= 0 ? removed.older : nil
        } else {
            var row = newestRow[location]!
            while rows[Int(row)].older != number { row = rows[Int(row)].older }
            rows[Int(row)].older = removed.older
        }
        // Its strings are released now rather than when the row is reused.
        rows[Int(number)].firstSeen = ""
        rows[Int(number)].lastSeen = ""
        freeRows.append(number)
        return location
    }

    /// Where a held report is.
    func location(of key: ReportKey) -> Location? {
        rowOfReport[key].map { Location(caseIndex: Int(rows[Int($0)].caseIndex), item: Int(rows[Int($0)].item)) }
    }
}

/// A report id as a fixed-size key: the 32 bytes of a 64-hex-digit id (the form of every store's report ids), or
/// the SHA-256 of any other id. Equal ids give equal keys; a hex id and a hashed one are told apart by `hashed`.
struct ReportKey: Hashable {
    private let words: (UInt64, UInt64, UInt64, UInt64)
    private let hashed: Bool

    init(_ id: String) {
        let bytes: [UInt8]
        if Hex.isLowercaseHex(id, count: 64), let decoded = Hex.decode(id) {
            (bytes, hashed) = (decoded, false)
        } else {
            (bytes, hashed) = (Array(SHA256.hash(data: Array(id.utf8))), true)
        }
        func word(_ index: Int) -> UInt64 { bytes[(index * 8)..<(index * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        words = (word(0), word(1), word(2), word(3))
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    static func == (lhs: ReportKey, rhs: ReportKey) -> Bool {
        lhs.words == rhs.words && lhs.hashed == rhs.hashed
    }
}
