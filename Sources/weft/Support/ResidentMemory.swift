import Foundation

/// The resident memory of this process, for benchmarks that report what each stage holds.
enum ResidentMemory {
    /// Resident bytes now (Linux: `/proc/self/statm`), or nil where that file does not exist.
    static func current() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `current()` in gigabytes, as progress lines print it ("1.23 GB"), or "unknown".
    static func description() -> String {
        current().map { String(format: "%.2f GB", Double($0) / 1e9) } ?? "unknown"
    }
}
