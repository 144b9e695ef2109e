import Foundation
import WeftHashing

/// What one post can be matched on, extracted the same way for publishing (`weft ingest`) and for matching a
/// platform's own content against the federation (`weft match`): its text fingerprint, canonical links, profile
/// links (as handles), hashtags and the media files it carries.
public struct PostSignals: Sendable, Hashable {
    /// Shortest normalised text worth publishing or matching: below this, texts are greetings and emoji that match
    /// everything.
    public static let minimumTextLength = 16

    /// The text's fingerprint, if the normalised text is long enough.
    public var text: TextFingerprint?
    public var urls: [CanonicalURL] = []
    /// Profile links (`https://host/@name`): kept as keyed handles, never as URLs.
    public var profileHandles: [String] = []
    /// Lower-case, without `#` and surrounding punctuation.
    public var hashtags: [String] = []
    /// Media file names, as the post lists them.
    public var media: [String] = []

    /// No signals.
    public init() {}

    /// Extracts a post's signals; links that do not canonicalise are skipped.
    public init(text: String, links: [String], media: [String], hasher: MinHasher, canonicalizer: URLCanonicalizer) {
        let fingerprint = TextFingerprint(text: text, hasher: hasher)
        if fingerprint.normalized.count >= Self.minimumTextLength { self.text = fingerprint }
        for link in links {
            guard let canonical = try? canonicalizer.canonicalize(link) else { continue }
            let afterScheme =
                canonical.url.range(of: "://").map { canonical.url[$0.upperBound...] } ?? canonical.url[...]
            let path = afterScheme.drop { $0 != "/" }
            if path.hasPrefix("/@"), !path.dropFirst(2).contains("/") {
                profileHandles.append(String(path.dropFirst(2)))
            } else {
                urls.append(canonical)
            }
        }
        for word in text.split(whereSeparator: { $0.isWhitespace }) where word.hasPrefix("#") {
            let tag = word.dropFirst().trimmingCharacters(in: .punctuationCharacters).lowercased()
            if !tag.isEmpty && tag.count <= 140 { hashtags.append(tag) }
        }
        self.media = media
    }

    /// The keyed `handle` value a profile link is published as: the handle alone, so a link to the same account
    /// from any platform gives the same value.
    public static func profileHandleValue(_ handle: String, key: FederationKey) -> String {
        (try? AccountReference(platform: "profile-link", text: handle)).map { $0.handleValue(key: key) } ?? ""
    }
}
