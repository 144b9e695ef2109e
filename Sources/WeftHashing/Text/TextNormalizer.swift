import Foundation

/// Normalises post text before hashing, so trivial edits do not change it: compatibility forms folded
/// (NFKC), case folded, URLs, @mentions, emoji, punctuation and symbols removed, whitespace collapsed.
///
/// Safe for scripts without spaces (CJK, Thai): nothing depends on word boundaries, and combining marks are
/// kept. Hashtags keep their word without the `#`.
public enum TextNormalizer {
    /// The normal form of `text`.
    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
        var words: [String] = []
        for token in folded.split(whereSeparator: { $0.isWhitespace }) {
            if isLink(token) || isMention(token) { continue }
            var kept = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if isInvisible(scalar) { continue }  // zero-width tricks must not split or change a word
                if isDropped(scalar) {
                    if !kept.isEmpty {
                        words.append(String(kept))
                        kept = String.UnicodeScalarView()
                    }
                } else {
                    kept.append(scalar)
                }
            }
            if !kept.isEmpty { words.append(String(kept)) }
        }
        return words.joined(separator: " ")
    }

    /// Links in any of their written forms, defanged ones included.
    static func isLink(_ token: Substring) -> Bool {
        let lower = token.lowercased()
        return lower.contains("://") || lower.hasPrefix("www.") || lower.hasPrefix("hxxp") || lower.contains("[.]")
    }

    static func isMention(_ token: Substring) -> Bool {
        token.hasPrefix("@") && token.count > 1
    }

    /// Characters that do not show: format controls (zero-width space and joiner, soft hyphen, bidi marks),
    /// variation selectors and emoji skin-tone modifiers. They are removed without breaking the word.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format || (0xFE00...0xFE0F).contains(scalar.value)
            || (0x1F3FB...0x1F3FF).contains(scalar.value)
    }

    /// Punctuation, symbols (emoji among them), and controls: they separate words.
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
            .control:
            return true
        default:
            // Emoji that are not symbols (keycaps, regional indicators).
            return scalar.properties.isEmojiPresentation
        }
    }
}
