/// Reads RFC 4180 CSV: fields separated by commas, optionally in double quotes (with `""` for a quote inside),
/// records ending in LF or CRLF; a UTF-8 byte-order mark is skipped. Each record comes with its line number.
public struct CSVReader: Sequence, IteratorProtocol {
    private var scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1

    /// Reads `text`.
    public init(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
    }

    /// The next record and the line it starts on, or `nil` at the end.
    public mutating func next() -> (line: Int, fields: [String])? {
        guard index < scalars.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
            case "\r" where index < scalars.count && scalars[index] == "\n": continue
            case "\n":
                line += 1
                fields.append(String(field))
                return (startLine, fields)
            default: field.append(scalar)
            }
        }
        fields.append(String(field))
        return (startLine, fields)
    }
}
