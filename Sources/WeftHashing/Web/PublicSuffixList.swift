import Foundation

/// The Public Suffix List, read at run time from the file Debian's `publicsuffix` package installs, to find a
/// host's registrable domain (`news.example.co.uk` → `example.co.uk`). Both the ICANN and the private sections
/// are used, so `someone.github.io` is its own registrable domain.
public struct PublicSuffixList: Sendable {
    /// Where Debian installs the list.
    public static let debianPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    private var rules: Set<String> = []
    private var wildcards: Set<String> = []
    private var exceptions: Set<String> = []

    /// Loads the list; IDN rules are converted to their `xn--` form.
    public init(path: String = debianPath) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw URLCanonicalizationError(
                "cannot read the Public Suffix List at \(path) (install Debian's publicsuffix package, or give its path)"
            )
        }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let rule = line.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            if rule.isEmpty || rule.hasPrefix("//") { continue }
            if rule.hasPrefix("!") {
                exceptions.insert(Self.ascii(String(rule.dropFirst())))
            } else if rule.hasPrefix("*.") {
                wildcards.insert(Self.ascii(String(rule.dropFirst(2))))
            } else {
                rules.insert(Self.ascii(rule))
            }
        }
        guard rules.count > 1000 else {
            throw URLCanonicalizationError("\(path) does not look like the Public Suffix List")
        }
    }

    private static func ascii(_ rule: String) -> String {
        rule.split(separator: ".").map { label in
            label.allSatisfy(\.isASCII) ? label.lowercased() : "xn--" + (Punycode.encode(label.lowercased()) ?? "")
        }.joined(separator: ".")
    }

    /// The public suffix of an ASCII, lower-case host (the default rule `*` applies when nothing matches).
    public func publicSuffix(of host: String) -> String {
        let labels = host.split(separator: ".").map(String.init)
        for start in labels.indices {
            let candidate = labels[start...].joined(separator: ".")
            if exceptions.contains(candidate) { return labels[(start + 1)...].joined(separator: ".") }
            if rules.contains(candidate) { return candidate }
            if start + 1 < labels.count, wildcards.contains(labels[(start + 1)...].joined(separator: ".")) {
                return candidate
            }
        }
        return labels.last ?? host
    }

    /// The registrable domain (public suffix plus one label), or `nil` when the host is itself a public suffix.
    public func registrableDomain(of host: String) -> String? {
        let suffix = publicSuffix(of: host)
        guard host != suffix, host.hasSuffix("." + suffix) else { return nil }
        let rest = host.dropLast(suffix.count + 1)
        let label = rest.split(separator: ".").last.map(String.init) ?? String(rest)
        return label + "." + suffix
    }
}
