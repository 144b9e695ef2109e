import Foundation
import Testing

/// Reads the shared reference data (`../shared/testdata`, beside the repository; `WEFT_SHARED` overrides).
enum TestData {
    static let shared: URL = {
        if let override = ProcessInfo.processInfo.environment["WEFT_SHARED"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static func path(_ relative: String) -> String { shared.appendingPathComponent("testdata/" + relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// A CSV file as dictionaries by header name. Handles double-quoted fields with commas and doubled quotes.
    static func csv(_ relative: String) throws -> [[String: String]] {
        let text = try String(contentsOfFile: path(relative), encoding: .utf8)
        var rows: [[String]] = []
        var field = ""
        var row: [String] = []
        var quoted = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    quoted = false
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                if !field.isEmpty { field.append("\"") }  // a doubled quote inside a quoted field
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        let header = rows[0]
        return rows.dropFirst().filter { $0.count == header.count }.map {
            Dictionary(uniqueKeysWithValues: zip(header, $0))
        }
    }
}
