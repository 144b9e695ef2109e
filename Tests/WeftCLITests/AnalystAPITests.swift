import Foundation
import Testing
import WeftServer

/// The analyst API against docs/openapi.json and the CLI, on a node that synced a real (tiny) federation.
@Suite(.serialized) struct AnalystAPITests {
    static let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.json").path

    static func document() throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: documentPath)))
                as? [String: Any])
    }

    /// The schema a `$ref` names, or the schema itself.
    static func resolve(_ schema: [String: Any], in document: [String: Any]) -> [String: Any] {
        guard let reference = schema["$ref"] as? String else { return schema }
        let name = reference.split(separator: "/").last.map(String.init) ?? ""
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        return schemas?[name] as? [String: Any] ?? [:]
    }

    @Test func theValidatorAcceptsTheDocument() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "openapi_spec_validator", Self.documentPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openapi-spec-validator (pip; scripts/install-deps.sh): \(text)")
    }

    @Test func everyLiveRouteIsDocumentedAndAnswersAsDocumented() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(Set(paths.keys) == Set(AnalystAPI.paths))

        let node = try AnalystNode()
        let operations = try #require(
            (try node.json("/api/v1/operations") as? [String: Any])?["operations"] as? [[String: Any]])
        let first = try #require(operations.first)
        let evidence = try #require((first["evidence"] as? [[String: Any]])?.first)
        let everyItem = operations.flatMap { ($0["evidence"] as? [[String: Any]]) ?? [] }
        let pdq =
            everyItem.first { $0["kind"] as? String == "pdq" }?["value"] as? String ?? String(repeating: "0", count: 64)
        let values: [String: String] = [
            "id": first["id"] as? String ?? "", "kind": evidence["kind"] as? String ?? "",
            "value": evidence["value"] as? String ?? "", "hash": pdq,
        ]
        for (path, item) in paths {
            let get = try #require((item as? [String: Any])?["get"] as? [String: Any])
            var concrete = path
            var query: [URLQueryItem] = []
            for parameter in get["parameters"] as? [[String: Any]] ?? [] {
                let name = parameter["name"] as? String ?? ""
                if parameter["in"] as? String == "path" {
                    concrete = concrete.replacingOccurrences(of: "{\(name)}", with: values[name] ?? "")
                } else if parameter["required"] as? Bool == true {
                    query.append(URLQueryItem(name: name, value: values[name]))
                }
            }
            var components = URLComponents()
            components.path = concrete
            components.queryItems = query.isEmpty ? nil : query
            let url = try #require(components.string)
            #expect(try node.get(url, authorised: false).status == 401, "\(path) without a token")
            let (status, body) = try node.get(url)
            try #require(status == 200, "\(url): \(status) \(String(decoding: body, as: UTF8.self))")
            let responses = try #require(get["responses"] as? [String: Any])
            let content = (responses["200"] as? [String: Any])?["content"] as? [String: Any]
            var schema = Self.resolve(
                ((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]) ?? [:], in: document)
            var answer = try JSONSerialization.jsonObject(with: body)
            if schema["type"] as? String == "array", let items = schema["items"] as? [String: Any] {
                let array = try #require(answer as? [Any], "\(path) answers an array")
                guard let element = array.first else { continue }
                schema = Self.resolve(items, in: document)
                answer = element
            }
            let object = try #require(answer as? [String: Any], "\(path) answers an object")
            for key in schema["required"] as? [String] ?? [] {
                #expect(object[key] != nil, "\(path): documented field \(key) is missing")
            }
            for key in object.keys {
                #expect(
                    (schema["properties"] as? [String: Any])?[key] != nil, "\(path): field \(key) is not documented")
            }
        }
    }

    /// A running server follows changes of its view (here an origin quarantined and restored by the CLI beside
    /// it): its incremental merge, and the encodings it keeps of operations that did not change, answer as a
    /// fresh `weft ops list` does. Its answers that read reports, which now come from that merge's state, equal
    /// those of a server started afresh on the same home without a warm-up, which reads and indexes the whole view
    /// instead.
    @Test func operationsFollowChangesOfTheViewWhileServing() throws {
        let work = try WeftProcess.temporaryDirectory()
        let built = try WeftProcess.run([
            "bench", "store", "--tier", "tiny", "--seed", "2", "--copies", "2", "--workdir", work, "--json",
        ])
        try #require(built.status == 0, "\(built.stderr)")
        let home = try #require((try WeftProcess.json(built) as? [String: Any])?["home"] as? String)
        let node = try AnalystNode(home: home)
        func api() throws -> NSDictionary { try #require(try node.json("/api/v1/operations") as? NSDictionary) }
        func cli() throws -> NSDictionary {
            try #require(
                try WeftProcess.json(try WeftProcess.run(["ops", "list", "--home", home, "--json"])) as? NSDictionary)
        }
        func setStatus(_ origin: String, _ status: String) throws {
            let run = try WeftProcess.run([
                "origin", "set-status", "--home", home, origin, status, "--reason", "test",
            ])
            try #require(run.status == 0, "\(run.stderr)")
        }
        let before = try api()
        #expect(try cli() == before)
        let operations = try #require(before["operations"] as? [[String: Any]])
        let platform = try #require(
            operations.flatMap { $0["platforms"] as? [String] ?? [] }.first { $0.hasSuffix("~1") })

        try setStatus(platform, "quarantined")
        let quarantined = try api()
        #expect(quarantined != before)
        #expect(try cli() == quarantined)
        let left = try #require(quarantined["operations"] as? [[String: Any]])
        #expect(left.allSatisfy { !($0["platforms"] as? [String] ?? []).contains(platform) })
        let live = try Self.answersReadingReports(node)
        let wholeView = try AnalystNode(home: home, options: ["--analyst-warm-up", "off"])
        #expect(live == (try Self.answersReadingReports(wholeView)))

        try setStatus(platform, "active")
        #expect(try api() == before)
    }

    /// Every operation's detail, the provenance of every item of their evidence (near copies and co-occurring
    /// indicators included), and PDQ searches around their pictures.
    static func answersReadingReports(_ node: AnalystNode) throws -> NSDictionary {
        let operations = try #require(
            (try node.json("/api/v1/operations") as? [String: Any])?["operations"] as? [[String: Any]])
        var answers: [String: Any] = [:]
        var nearCopies = 0
        for operation in operations {
            let id = try #require(operation["id"] as? String)
            answers[id] = try node.json("/api/v1/operations/\(id)")
            for item in operation["evidence"] as? [[String: Any]] ?? [] {
                guard let kind = item["kind"] as? String, let value = item["value"] as? String, answers[value] == nil
                else { continue }
                var components = URLComponents()
                components.path = "/api/v1/indicators"
                components.queryItems = [
                    URLQueryItem(name: "kind", value: kind), URLQueryItem(name: "value", value: value),
                ]
                let provenance = try node.json(try #require(components.string)) as? [String: Any]
                nearCopies += (provenance?["near"] as? [Any] ?? []).count
                answers[value] = provenance
                guard kind == "pdq" else { continue }
                components.path = "/api/v1/search/pdq"
                components.queryItems = [
                    URLQueryItem(name: "hash", value: value), URLQueryItem(name: "max_distance", value: "40"),
                ]
                let matches = try node.json(try #require(components.string)) as? [String: Any]
                nearCopies += (matches?["matches"] as? [Any] ?? []).count
                answers["pdq " + value] = matches
            }
        }
        #expect(operations.count >= 2 && nearCopies > 0, "the answers compared are not empty")
        return answers as NSDictionary
    }

    /// `weft serve` builds its incremental merge at start, in the background, and says when it is ready; the
    /// operations it then answers are the saved ones.
    @Test func theAnalystMergeIsBuiltAtStart() throws {
        let node = try AnalystNode(options: ["--log-level", "info"])
        let deadline = Date().addingTimeInterval(60)
        var log = ""
        while !log.contains("analyst merge ready") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            log = (try? String(contentsOfFile: node.log, encoding: .utf8)) ?? ""
        }
        #expect(log.contains("analyst merge ready"), "\(log.suffix(2000))")
        let listed = try WeftProcess.run(["ops", "list", "--home", node.home, "--json"])
        #expect(
            (try node.json("/api/v1/operations") as? NSDictionary) == (try WeftProcess.json(listed) as? NSDictionary))
        let quiet = try AnalystNode(options: ["--log-level", "info", "--analyst-warm-up", "off"])
        let operations = try #require(
            (try quiet.json("/api/v1/operations") as? [String: Any])?["operations"] as? [[String: Any]])
        _ = try quiet.json("/api/v1/operations/" + (try #require(operations.first?["id"] as? String)))
        #expect(!((try? String(contentsOfFile: quiet.log, encoding: .utf8)) ?? "").contains("analyst merge ready"))
    }

    @Test func answersEqualTheCLIs() throws {
        let node = try AnalystNode()
        let listed = try WeftProcess.run(["ops", "list", "--home", node.home, "--json"])
        let cli = try #require(try WeftProcess.json(listed) as? NSDictionary)
        let api = try #require(try node.json("/api/v1/operations") as? NSDictionary)
        #expect(cli == api)
        let operations = try #require(api["operations"] as? [[String: Any]])
        // Pages are slices of the same list.
        #expect(operations.count >= 2)
        for (offset, limit) in [(0, 1), (1, 1), (operations.count - 1, 5), (operations.count, 1), (0, 0)] {
            let page = try #require(
                (try node.json("/api/v1/operations?offset=\(offset)&limit=\(limit)") as? [String: Any])?["operations"]
                    as? [[String: Any]])
            let expected = operations[min(offset, operations.count)..<min(offset + limit, operations.count)]
            #expect(page.map { $0["id"] as? String } == expected.map { $0["id"] as? String })
        }
        for operation in operations {
            let id = try #require(operation["id"] as? String)
            let shown = try WeftProcess.json(try WeftProcess.run(["ops", "show", "--home", node.home, id, "--json"]))
            let detail = try #require(try node.json("/api/v1/operations/\(id)") as? [String: Any])
            #expect((shown as? NSDictionary) == (detail["operation"] as? NSDictionary))
            let links = try #require(detail["evidence_links"] as? [[String: Any]])
            #expect(links.count == (operation["evidence"] as? [Any])?.count)
            #expect(links.allSatisfy { ($0["cases"] as? [Int] ?? []).count >= 1 })
        }
        let item = try #require((operations.first?["evidence"] as? [[String: Any]])?.first)
        let kind = try #require(item["kind"] as? String)
        let value = try #require(item["value"] as? String)
        var components = URLComponents()
        components.path = "/api/v1/indicators"
        components.queryItems = [URLQueryItem(name: "kind", value: kind), URLQueryItem(name: "value", value: value)]
        let provenance = try node.json(try #require(components.string)) as? NSDictionary
        let shown = try WeftProcess.run(["indicator", "show", "--home", node.home, kind, value, "--json"])
        #expect(provenance == (try WeftProcess.json(shown) as? NSDictionary))
        let together = provenance?["cooccurring"] as? [[String: Any]] ?? []
        #expect(!together.isEmpty, "an operation's evidence is reported together with other items")
        #expect(!together.contains { $0["kind"] as? String == kind && $0["value"] as? String == value })
        let peers = try WeftProcess.run(["peers", "status", "--home", node.home, "--json"])
        let cliPeers = (try WeftProcess.json(peers) as? [[String: Any]])?.map { $0["name"] as? String }
        let apiPeers = (try node.json("/api/v1/peers") as? [[String: Any]])?.map { $0["name"] as? String }
        #expect(cliPeers == apiPeers && !(apiPeers ?? []).isEmpty)
    }

    @Test func badRequestsAndRemovedAnalystsAreRefused() throws {
        let node = try AnalystNode()
        for path in [
            "/api/v1/operations?min_platforms=many", "/api/v1/operations?since=yesterday", "/api/v1/search/pdq?hash=zz",
            "/api/v1/operations?limit=-1", "/api/v1/operations?offset=x",
            "/api/v1/search/pdq?hash=\(String(repeating: "0", count: 64))&max_distance=500",
            "/api/v1/indicators?kind=nonsense&value=x", "/api/v1/indicators?kind=url",
        ] {
            #expect(try node.get(path).status == 400, "\(path)")
        }
        #expect(try node.get("/api/v1/operations/op-000000000000").status == 404)
        #expect(try node.get("/api/v1/status", token: "weft_" + String(repeating: "a", count: 64)).status == 401)

        let added = try WeftProcess.run(["analyst", "add", "--home", node.home, "leaving", "--json"])
        let token = try #require((try WeftProcess.json(added) as? [String: String])?["token"])
        #expect(try node.get("/api/v1/status", token: token).status == 200)
        #expect(try WeftProcess.run(["analyst", "remove", "--home", node.home, "leaving"]).status == 0)
        #expect(try node.get("/api/v1/status", token: token).status == 401, "removal takes effect on a running node")
        let listed = try WeftProcess.run(["analyst", "list", "--home", node.home, "--json"])
        #expect(!listed.stdout.contains("weft_"), "tokens are never listed")
        let audit = try WeftProcess.run(["audit", "--home", node.home, "--json", "--limit", "100000"])
        #expect(audit.stdout.contains("analyst.add") && audit.stdout.contains("analyst.remove"))
    }
}
