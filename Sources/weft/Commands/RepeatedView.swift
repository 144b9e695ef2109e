import Crypto
import Foundation
import WeftCore
import WeftStore

/// A merged view repeated as several federations that share nothing, for measuring the merge at sizes the
/// simulator cannot reach in reasonable time (the stress tier's 274k reports take minutes to simulate and ingest;
/// ten million would take hours).
///
/// Copy 0 is the view itself. Copy k renames every platform (`name~k`, with its own origin id) and passes every
/// indicator value through a bijection of its own that keeps what the merge compares within a copy: hex values
/// (PDQ, MinHash signatures, schedules, SHA-256 and keyed hashes) are XORed digit by digit with the copy's key
/// stream, so PDQ distances and MinHash slot agreement inside the copy are unchanged and values of different
/// copies are unrelated; other values (links, domains, hashtags, handle shapes) are marked with the copy number in
/// a way their kind's rules accept, so the copies can also be signed into bundles (`weft bench store`). Each copy therefore
/// holds the same operations as the original, under other names, and the merge's answer should be exactly
/// `copies` times as large: the benchmark checks that.
enum RepeatedView {
    /// The suffix of platform names in copy `copy`.
    static func suffix(_ copy: Int) -> String { "~\(copy)" }

    /// `view` followed by `copies − 1` disguised copies of itself.
    static func repeated(_ view: MergedView, copies: Int) -> MergedView {
        guard copies > 1 else { return view }
        var result = view
        result.cases.reserveCapacity(view.cases.count * copies)
        result.reports.reserveCapacity(view.reports.count * copies)
        for copy in 1..<copies {
            let stream = keyStream(copy)
            var origins: [String: String] = [:]
            for (origin, name) in view.originNames {
                let renamed = Hex.sha256(Array("\(origin)\(suffix(copy))".utf8))
                origins[origin] = renamed
                result.originNames[renamed] = name + suffix(copy)
                result.trust[renamed] = view.trust[origin]
            }
            let offset = copy * view.cases.count
            result.cases += view.cases.map { entry in
                var entry = entry
                entry.origin = origins[entry.origin] ?? entry.origin + suffix(copy)
                return entry
            }
            result.reports += view.reports.map { report in
                var report = report
                report.caseIndex += offset
                report.value = disguise(report.value, kind: report.kind, stream: stream, copy: copy)
                return report
            }
        }
        return result
    }

    /// Whether an operation lies wholly in the original (copy 0).
    static func isOriginal(_ operation: some Sequence<String>) -> Bool {
        operation.allSatisfy { !$0.contains("~") }
    }

    /// 4-bit masks for copy `copy`, one per hex digit position (values longer than the stream reuse it).
    static func keyStream(_ copy: Int) -> [UInt8] {
        var masks: [UInt8] = []
        for block in 0..<64 {
            for byte in SHA256.hash(data: Array("weft repeated view \(copy) \(block)".utf8)) {
                masks += [byte >> 4, byte & 0x0f]
            }
        }
        return masks
    }

    /// `value` as copy `copy` holds it; `stream` is ``keyStream(_:)`` of the copy.
    static func disguise(_ value: String, kind: IndicatorKind, stream: [UInt8], copy: Int) -> String {
        switch kind {
        case .url:
            guard let range = value.range(of: "://") else { return value + suffix(copy) }
            return value.replacingCharacters(in: range, with: "://c\(copy).")
        case .domain: return "c\(copy).\(value)"
        case .hashtag: return "\(value)_c\(copy)"
        // A run of symbols per base-99 digit of the copy number: shapes stay shapes.
        case .handleShape: return value + base99(copy).map { " s\($0 + 1)" }.joined()
        case .pdq, .sha256, .textSHA256, .account, .handle, .accountLink, .md5, .textMinHash, .schedule:
            let digits = Array(value.utf8)
            guard digits.allSatisfy(isLowercaseHexDigit) else { return value + suffix(copy) }
            let hex = Array("0123456789abcdef".utf8)
            var out = digits
            for position in digits.indices {
                out[position] = hex[Int(nibble(digits[position]) ^ stream[position % stream.count])]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func base99(_ number: Int) -> [Int] {
        number < 99 ? [number] : base99(number / 99) + [number % 99]
    }

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
    }
}
