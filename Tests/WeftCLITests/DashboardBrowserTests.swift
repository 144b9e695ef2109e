import Foundation
import TestScratch
import Testing

/// Debian's chromium, headless, drives the real dashboard of a node that synced a tiny federation: every page
/// renders without console errors, and the numbers it shows equal the analyst API's. Screenshots of each page
/// are saved (the path is printed).
@Suite(.serialized) struct DashboardBrowserTests {
    static let screenshots = NSTemporaryDirectory() + "weft-dashboard-screenshots"

    /// The rendered DOM and everything chromium logged from the page's console.
    struct Rendered {
        var dom: String
        var console: [String]
    }

    static func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TestFailure("chromium is not installed (scripts/install-deps.sh installs Debian's chromium)")
    }

    /// Loads `page` (a dashboard fragment such as `/operations`) signed in with the node's token; also saves a
    /// screenshot named `name`.
    static func render(_ node: AnalystNode, _ page: String, name: String) throws -> Rendered {
        let separator = page.contains("?") ? "&" : "?"
        let url = "\(node.base)/#\(page)\(separator)token=\(node.token)"
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--virtual-time-budget=10000",
            "--user-data-dir=\(TestScratch.path("weft-chromium"))",
        ]
        let (dom, log) = try run(try chromium(), common + ["--enable-logging=stderr", "--v=0", "--dump-dom", url])
        try FileManager.default.createDirectory(atPath: screenshots, withIntermediateDirectories: true)
        _ = try run(
            try chromium(), common + ["--window-size=1280,1600", "--screenshot=\(screenshots)/\(name).png", url])
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Rendered(dom: dom, console: console)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let base = TestScratch.path("weft-chromium")
        _ = FileManager.default.createFile(atPath: base + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (
            (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        )
    }

    /// The text of every element carrying `data-field="FIELD"` inside `html`, in order.
    static func fields(_ field: String, in html: Substring) -> [String] {
        var values: [String] = []
        var rest = html[...]
        while let marker = rest.range(of: "data-field=\"\(field)\"") {
            rest = rest[marker.upperBound...]
            guard let open = rest.firstIndex(of: ">"), let close = rest[open...].range(of: "</") else { break }
            values.append(String(rest[rest.index(after: open)..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return values
    }

    /// The `<tr>` rows carrying `data-ATTRIBUTE="…"`, keyed by that value.
    static func rows(_ attribute: String, in html: String) -> [String: Substring] {
        var rows: [String: Substring] = [:]
        for piece in html.components(separatedBy: "<tr data-\(attribute)=\"").dropFirst() {
            guard let quote = piece.firstIndex(of: "\"") else { continue }
            let end = piece.range(of: "</tr>")?.lowerBound ?? piece.endIndex
            rows[String(piece[..<quote])] = piece[..<end]
        }
        return rows
    }

    static func expectRendered(_ page: Rendered, _ name: String) {
        #expect(page.dom.contains("data-page=\"\(name)\""), "\(name) did not render")
        #expect(page.dom.contains("data-ready=\"true\""), "\(name) did not finish")
        #expect(!page.dom.contains("data-errors="), "\(name) reported errors")
        #expect(page.console.isEmpty, "\(name): console: \(page.console.joined(separator: "\n"))")
    }

    @Test func everyPageRendersTheAPIsNumbers() throws {
        let node = try AnalystNode()
        let api = try #require(try node.json("/api/v1/operations") as? [String: Any])
        let operations = try #require(api["operations"] as? [[String: Any]])
        try #require(!operations.isEmpty)

        let list = try Self.render(node, "/operations", name: "operations")
        Self.expectRendered(list, "operations")
        let rows = Self.rows("operation", in: list.dom)
        #expect(Set(rows.keys) == Set(operations.compactMap { $0["id"] as? String }))
        for operation in operations {
            let row = rows[operation["id"] as? String ?? ""] ?? ""
            #expect(Self.fields("platforms", in: row) == ["\((operation["platforms"] as? [Any])?.count ?? -1)"])
            #expect(Self.fields("cases", in: row) == ["\((operation["cases"] as? [Any])?.count ?? -1)"])
            #expect(Self.fields("last_seen", in: row) == [operation["last_seen"] as? String ?? "?"])
        }

        let id = try #require(operations.first?["id"] as? String)
        let detail = try #require(try node.json("/api/v1/operations/\(id)") as? [String: Any])
        let shown = try Self.render(node, "/operation/\(id)", name: "operation")
        Self.expectRendered(shown, "operation")
        let operation = try #require(detail["operation"] as? [String: Any])
        let dom = shown.dom[...]
        #expect(Self.fields("platforms", in: dom) == ["\((operation["platforms"] as? [Any])?.count ?? -1)"])
        #expect(Self.fields("cases", in: dom) == ["\((operation["cases"] as? [Any])?.count ?? -1)"])
        #expect(
            Self.fields("accounts", in: dom) == [
                "\(detail["accounts_low"] as? Int ?? -1)–\(detail["accounts_high"] as? Int ?? -1)"
            ])
        #expect(shown.dom.contains("<svg") && shown.dom.contains("Evidence graph"))
        #expect(shown.dom.contains("class=\"heat\"") || operation["schedule"] is NSNull)

        let peers = try #require(try node.json("/api/v1/peers") as? [[String: Any]])
        let page = try Self.render(node, "/peers", name: "peers")
        Self.expectRendered(page, "peers")
        let peerRows = Self.rows("peer", in: page.dom)
        #expect(peerRows.count == peers.count && !peers.isEmpty)
        for peer in peers {
            let row = peerRows[peer["name"] as? String ?? ""] ?? ""
            #expect(Self.fields("status", in: row) == [peer["status"] as? String ?? "?"])
            #expect(Self.fields("feeds", in: row) == ["\((peer["feeds"] as? [Any])?.count ?? -1)"])
        }

        let item = try #require((operation["evidence"] as? [[String: Any]])?.first)
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "kind", value: item["kind"] as? String),
            URLQueryItem(name: "value", value: item["value"] as? String),
        ]
        let provenance = try #require(
            try node.json("/api/v1/indicators?\(query.percentEncodedQuery ?? "")") as? [String: Any])
        let indicator = try Self.render(node, "/indicator?\(query.percentEncodedQuery ?? "")", name: "indicator")
        Self.expectRendered(indicator, "indicator")
        let count = (provenance["reports"] as? [Any])?.count ?? -1
        #expect(Self.fields("reports", in: indicator.dom[...]).first?.hasPrefix("\(count) reports from ") == true)

        for name in ["operations", "operation", "peers", "indicator"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(Self.screenshots)/\(name).png"))?[.size]
            #expect((size as? Int ?? 0) > 10_000, "screenshot \(name).png")
        }
        print("dashboard screenshots: \(Self.screenshots)")
    }

    @Test func withoutATokenThePageAsksForOne() throws {
        let node = try AnalystNode()
        let (dom, _) = try Self.run(
            try Self.chromium(),
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
                "\(node.base)/#/operations",
            ])
        #expect(dom.contains("data-page=\"sign-in\""))
        #expect(!dom.contains("data-operation="), "no data without a token")
    }
}
