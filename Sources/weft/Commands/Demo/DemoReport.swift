import Foundation
import WeftAnalysis
import WeftCore
import WeftScenario

/// The HTML report `weft demo` writes: one self-contained page (no scripts, no network), readable without CSS.
struct DemoReport {
    let outcome: DemoOutcome

    var html: String {
        var body = header()
        body += scoreSection()
        body += operationsTable()
        for operation in outcome.operations { body += operationSection(operation) }
        body += federationSection()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Weft demo report</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    private func header() -> String {
        let total = outcome.seconds.map(\.seconds).reduce(0, +)
        return """
            <h1>Weft demo report</h1>
            <p>\(outcome.nodes.count) nodes, one per simulated platform, each ingested its own platform's export and \
            exchanged signed indicator bundles over \(outcome.links.count) peer links (mutual TLS) \
            (\(DemoOutcome.grouped(outcome.reports)) reports in all; tier \(escape(outcome.tier)), seed \(outcome.seed)). Every node \
            ended with identical data; the merge below ran on one of them. Run time \(format(total, 1)) s \
            (\(escape(outcome.seconds.map { "\($0.name) \(format($0.seconds, 1)) s" }.joined(separator: ", ")))).</p>

            """
    }

    private func scoreSection() -> String {
        let score = outcome.score
        let rows: [(String, String)] = [
            ("Platform recall (mean per operation)", format(score.platformRecall, 3)),
            ("Account recall (mean per operation)", format(score.accountRecall, 3)),
            ("Cluster precision (accounts)", format(score.clusterPrecision, 3)),
            ("Adjusted Rand index", format(score.adjustedRandIndex, 3)),
            ("Operations built on organic content", "\(score.organicContentClusters)"),
            ("Ordinary UTC+8 accounts placed in operations", "\(score.organicUTC8FalsePositives)"),
        ]
        return """
            <section aria-labelledby="score">
            <h2 id="score">Score against the ground truth</h2>
            <p>The scenario's ground truth was never read by any node; it is used here only to grade the merge.</p>
            <table>
            <thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>
            <tbody>
            \(rows.map { "<tr><th scope=\"row\">\(escape($0.0))</th><td class=\"number\">\($0.1)</td></tr>" }.joined(separator: "\n"))
            </tbody>
            </table>
            </section>

            """
    }

    private func operationsTable() -> String {
        let rows = outcome.operations.map { operation -> String in
            let (low, high) = outcome.accounts(operation)
            return """
                <tr><td><a href="#op-\(escape(operation.id))">\(escape(String(operation.id.prefix(16))))</a></td>\
                <td class="number">\(operation.platforms.count)</td><td class="number">\(operation.cases.count)</td>\
                <td class="number">\(low)–\(high)</td><td class="nowrap">\(operation.firstSeen) … \(operation.lastSeen)</td>\
                <td>\(escape(operation.families.joined(separator: ", ")))</td>\
                <td>\(DemoOutcome.offset(operation.bestFitUTCOffset))</td>\
                <td class="number">\(format(operation.confidence, 2))</td></tr>
                """
        }
        return """
            <section aria-labelledby="operations">
            <h2 id="operations">Operations (\(outcome.operations.count))</h2>
            <table>
            <thead><tr><th scope="col">Operation</th><th scope="col">Platforms</th><th scope="col">Cases</th>\
            <th scope="col">Accounts</th><th scope="col">Active</th><th scope="col">Evidence kinds</th>\
            <th scope="col">Best-fit office time</th><th scope="col">Confidence</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </section>

            """
    }

    private func operationSection(_ operation: MergedOperation) -> String {
        let days = dayRange(operation)
        let timeline = operation.timeline.map { activity -> String in
            let start = dayOffset(activity.firstSeen, from: days.first) * 100 / max(days.count, 1)
            let width = max(1, (dayOffset(activity.lastSeen, from: days.first) + 1) * 100 / max(days.count, 1) - start)
            return """
                <tr><th scope="row">\(escape(activity.platform))</th><td class="number">\(activity.cases)</td>\
                <td>\(activity.firstSeen) … \(activity.lastSeen)</td>\
                <td class="track"><span class="bar" style="margin-left:\(start)%;width:\(width)%"></span></td></tr>
                """
        }
        let evidence = operation.evidence.map {
            """
            <tr><td>\(escape($0.kind))</td><td class="value">\(escape($0.value))</td>\
            <td class="number">\(format($0.weight, 2))</td><td>\(escape($0.reason))</td></tr>
            """
        }
        let labels = operation.labelProfile.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "<li><code>\(escape($0.key))</code>: \($0.value) cases</li>" }
        return """
            <section id="op-\(escape(operation.id))" aria-labelledby="title-\(escape(operation.id))">
            <h2 id="title-\(escape(operation.id))">Operation \(escape(String(operation.id.prefix(16))))</h2>
            <p>\(operation.cases.count) cases on \(operation.platforms.count) platforms, \
            \(operation.firstSeen) … \(operation.lastSeen); evidence kinds: \
            \(escape(operation.families.joined(separator: ", "))); confidence \(format(operation.confidence, 2)).</p>
            <h3>Activity per platform</h3>
            <table>
            <thead><tr><th scope="col">Platform</th><th scope="col">Cases</th><th scope="col">Active</th>\
            <th scope="col">\(days.first ?? "") … \(days.last ?? "")</th></tr></thead>
            <tbody>
            \(timeline.joined(separator: "\n"))
            </tbody>
            </table>
            \(operation.schedule.map { heatMap($0, offset: operation.bestFitUTCOffset) } ?? "")
            <h3>Top evidence</h3>
            <table>
            <thead><tr><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Weight</th>\
            <th scope="col">Why it links</th></tr></thead>
            <tbody>
            \(evidence.joined(separator: "\n"))
            </tbody>
            </table>
            \(labels.isEmpty ? "" : "<h3>Labels</h3>\n<ul>\n\(labels.joined(separator: "\n"))\n</ul>")
            </section>

            """
    }

    /// The hour-of-week schedule as a 7 × 24 table; each cell's darkness is its level (0–15), also given as text.
    private func heatMap(_ hex: String, offset: Int?) -> String {
        let levels = hex.compactMap(\.hexDigitValue)
        guard levels.count == 168 else { return "" }
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let rows = days.enumerated().map { day, name -> String in
            let cells = (0..<24).map { hour -> String in
                let level = levels[day * 24 + hour]
                return "<td class=\"cell\" style=\"opacity:\(format(0.08 + 0.92 * Double(level) / 15, 2))\" "
                    + "title=\"\(name) \(hour):00 UTC, level \(level)\">\(level)</td>"
            }
            return "<tr><th scope=\"row\">\(name)</th>\(cells.joined())</tr>"
        }
        return """
            <h3>When its accounts post (hour of week, UTC)</h3>
            <table class="heat">
            <caption>Best-fit office time zone: \(DemoOutcome.offset(offset))</caption>
            <thead><tr><th scope="col">Day</th>\((0..<24).map { "<th scope=\"col\">\($0)</th>" }.joined())</tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            """
    }

    private func federationSection() -> String {
        """
        <section aria-labelledby="federation">
        <h2 id="federation">Federation</h2>
        <p>Nodes: \(escape(outcome.nodes.joined(separator: ", "))).</p>
        <p>Peer links (each both ways): \(escape(outcome.links.map { $0.joined(separator: "–") }.joined(separator: ", "))).</p>
        <p>Node homes, logs and the scenario are in <code>\(escape(outcome.work))</code>.</p>
        </section>

        """
    }

    /// Every day from the operation's first to its last sighting.
    private func dayRange(_ operation: MergedOperation) -> [String] {
        guard let first = Self.time(operation.firstSeen), let last = Self.time(operation.lastSeen) else {
            return [operation.firstSeen]
        }
        return stride(from: first, through: last, by: 86_400).map(UTCTime.day)
    }

    private func dayOffset(_ day: String, from first: String?) -> Int {
        guard let first, let start = Self.time(first), let time = Self.time(day) else { return 0 }
        return max(0, Int((time - start) / 86_400))
    }

    /// The Unix time of midnight UTC starting a `YYYY-MM-DD` day.
    private static func time(_ day: String) -> Int64? { UTCTime.parse(day + "T00:00:00Z") }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    private func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static let style = """
        body{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;margin:0;background:#fafafa}
        main{max-width:72rem;margin:auto;padding:1rem 1.5rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.2rem .5rem;border-bottom:1px solid #ddd;text-align:left}
        td:first-child a,.nowrap{white-space:nowrap}.number{text-align:right;font-variant-numeric:tabular-nums}.value{font-family:monospace;word-break:break-all}
        section{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
        .track{width:20rem}.bar{display:block;height:.8rem;background:#2f6f9f;min-width:2px}
        .heat td.cell{width:1.2rem;height:1.2rem;padding:0;font-size:0;background:#7a1f1f}
        .heat th{font-size:.7rem;padding:0 .2rem}
        """
}
