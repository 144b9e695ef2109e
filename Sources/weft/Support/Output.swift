import Foundation

/// Prints `value` as indented JSON with sorted keys (for people and scripts; never for signed bytes).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Renders rows as a plain text table with a header and aligned columns.
func renderTable(_ header: [String], _ rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows {
        for (index, cell) in row.enumerated() where index < widths.count {
            widths[index] = max(widths[index], cell.count)
        }
    }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}

/// Reads a whole file, or standard input for `-`.
func readInput(_ path: String) throws -> [UInt8] {
    if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIFailure("cannot read \(path)", status: 66)
    }
    return Array(data)
}

/// Splits JSONL into (line number, bytes) pairs, skipping blank lines.
func jsonLines(_ bytes: [UInt8]) -> [(line: Int, bytes: [UInt8])] {
    var result: [(Int, [UInt8])] = []
    for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
        var trimmed = line[...]
        while let last = trimmed.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") {
            trimmed = trimmed.dropLast()
        }
        if trimmed.isEmpty { continue }
        result.append((index + 1, Array(trimmed)))
    }
    return result
}
