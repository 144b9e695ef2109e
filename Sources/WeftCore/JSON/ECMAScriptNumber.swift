/// Formats doubles exactly as ECMAScript's `Number.prototype.toString` does (ECMA-262, Number::toString),
/// which RFC 8785 §3.2.2.3 requires for canonical JSON.
///
/// The shortest round-tripping decimal digits come from Swift's own `description` (SwiftDtoa, which yields the
/// shortest, closest digit string, as ECMA-262 asks); this type only re-lays those digits out by the ECMAScript
/// rules for where the decimal point goes and when to switch to exponent form.
public enum ECMAScriptNumber {
    /// Returns the ECMAScript string for `value`, or `nil` for NaN and the infinities, which JSON cannot carry.
    public static func format(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return "0" }  // both +0 and -0
        if value < 0 { return "-" + format(-value)! }
        if value < 9_007_199_254_740_992, value == value.rounded(.towardZero) {
            return String(Int64(value))  // fast path: integers below 2^53 print as themselves
        }
        let (digits, exponent) = shortestDigits(value)
        return layout(digits: digits, pointPosition: exponent)
    }

    /// Splits Swift's shortest representation into its significant digits and the position `n` of the decimal
    /// point, so that value = 0.d1d2…dk × 10^n.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], pointPosition: Int) {
        let text = Array(value.description.utf8)
        var digits: [UInt8] = []
        var pointPosition = 0
        var seenPoint = false
        var index = 0
        while index < text.count, text[index] != UInt8(ascii: "e"), text[index] != UInt8(ascii: "E") {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                if digits.isEmpty && byte == UInt8(ascii: "0") {
                    if seenPoint { pointPosition -= 1 }  // leading zeros after the point shift it left
                } else {
                    digits.append(byte)
                    if !seenPoint { pointPosition += 1 }
                }
            }
            index += 1
        }
        if index < text.count {
            let exponentText = String(decoding: text[(index + 1)...], as: UTF8.self)
            pointPosition += Int(exponentText.hasPrefix("+") ? String(exponentText.dropFirst()) : exponentText)!
        }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, pointPosition)
    }

    /// ECMA-262 Number::toString steps 6–10, with k digits and point position n.
    static func layout(digits: [UInt8], pointPosition n: Int) -> String {
        let k = digits.count
        let zero = UInt8(ascii: "0")
        var out: [UInt8] = []
        if k <= n && n <= 21 {
            out = digits + [UInt8](repeating: zero, count: n - k)
        } else if 0 < n && n <= 21 {
            out = Array(digits[..<n]) + [UInt8(ascii: ".")] + Array(digits[n...])
        } else if -6 < n && n <= 0 {
            out = [zero, UInt8(ascii: ".")] + [UInt8](repeating: zero, count: -n) + digits
        } else {
            let exponent = n - 1
            out = [digits[0]]
            if k > 1 { out += [UInt8(ascii: ".")] + digits[1...] }
            out += Array("e\(exponent < 0 ? "-" : "+")\(abs(exponent))".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
