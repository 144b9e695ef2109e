import Foundation
import Testing

/// `weft demo`: real `weft serve` processes on 127.0.0.1, peered sparsely, converge and are all stopped.
@Suite(.serialized) struct DemoTests {
    /// Node homes under a demo's work folder.
    static func homes(_ work: String) -> [String] {
        let nodes = work + "/nodes"
        return ((try? FileManager.default.contentsOfDirectory(atPath: nodes)) ?? []).sorted().map { nodes + "/" + $0 }
    }

    /// The pid each node's `weft serve` wrote, and the ports it announced.
    static func processes(_ work: String) -> (pids: [pid_t], ports: [Int]) {
        var pids: [pid_t] = []
        var ports: [Int] = []
        for home in homes(work) {
            if let text = try? String(contentsOfFile: home + "/serve.pid", encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                pids.append(pid)
            }
            let announced = (try? String(contentsOfFile: home + "/serve.out", encoding: .utf8)) ?? ""
            for line in announced.split(separator: "\n") {
                if let port = line.split(separator: ":").last.flatMap({ Int($0) }) { ports.append(port) }
            }
        }
        return (pids, ports)
    }

    /// True if a process with this pid still exists.
    static func alive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 }

    /// True if something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    @Test func theWholeStoryRunsAndLeavesNothingRunning() throws {
        let work = try WeftProcess.temporaryDirectory() + "/demo"
        let result = try WeftProcess.run([
            "demo", "--tier", "tiny", "--seed", "1", "--workdir", work, "--certs", CertificateScriptTests.certs,
            "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let outcome = try #require(try WeftProcess.json(result) as? [String: Any])
        let nodes = try #require(outcome["nodes"] as? [String])
        let links = try #require(outcome["links"] as? [[String]])
        #expect(nodes.count == 6)
        // Sparse: a ring plus chords, not all-to-all, so some feeds can only have arrived relayed.
        #expect(links.count >= nodes.count && links.count < nodes.count * (nodes.count - 1) / 2)
        let operations = try #require(outcome["operations"] as? [[String: Any]])
        #expect(!operations.isEmpty)
        for operation in operations {
            #expect((operation["platforms"] as? [String] ?? []).count >= 2)
        }
        let score = try #require(outcome["score"] as? [String: Any])
        #expect(score["organic_content_clusters"] as? Int == 0)
        #expect((score["platform_recall"] as? Double ?? 0) > 0)

        // Every node holds the same feeds, with the same checksums, although each peers with only a few others.
        var checksums: Set<String> = []
        var feedCounts: Set<Int> = []
        for home in Self.homes(work) {
            let status = try WeftProcess.run(["status", "--home", home, "--json", "--checksums"])
            try expectOK(status)
            let object = try #require(try WeftProcess.json(status) as? [String: Any])
            feedCounts.insert((object["feeds"] as? [Any])?.count ?? -1)
            let sums = object["checksums"] as? [String: String] ?? [:]
            checksums.insert(sums.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
        #expect(feedCounts.count == 1 && checksums.count == 1)

        let report = try String(contentsOfFile: work + "/report.html", encoding: .utf8)
        for operation in operations {
            #expect(report.contains("id=\"op-\(operation["id"] as? String ?? "?")\""))
        }
        #expect(!report.contains("<script"), "the report needs no scripts")

        let (pids, ports) = Self.processes(work)
        #expect(pids.count == 6 && ports.count == 12)
        #expect(pids.allSatisfy { !Self.alive($0) }, "a weft serve process outlived the demo")
        #expect(ports.allSatisfy { !Self.accepts($0) }, "a port is still listening")
    }

    @Test func anInterruptStopsEveryNode() throws {
        let work = try WeftProcess.temporaryDirectory() + "/demo"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WeftProcess.binary)
        process.arguments = [
            "demo", "--tier", "tiny", "--seed", "2", "--workdir", work, "--certs", CertificateScriptTests.certs,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupt once every node is listening, before or while the platforms ingest.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning && Self.processes(work).ports.count < 12 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let (pids, ports) = Self.processes(work)
        try #require(ports.count == 12, "the demo did not start its nodes")
        #expect(pids.allSatisfy(Self.alive))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(pids.allSatisfy { !Self.alive($0) }, "a weft serve process outlived the interrupted demo")
        #expect(ports.allSatisfy { !Self.accepts($0) }, "a port is still listening")
    }

    @Test func keepServingLeavesTheDashboardUpUntilCtrlC() throws {
        let work = try WeftProcess.temporaryDirectory() + "/demo"
        let out = work + ".out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WeftProcess.binary)
        process.arguments = [
            "demo", "--tier", "tiny", "--seed", "4", "--workdir", work, "--certs", CertificateScriptTests.certs,
            "--keep-serving",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = FileHandle.nullDevice
        try process.run()
        var printed = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning && !printed.contains("Ctrl-C stops") {
            Thread.sleep(forTimeInterval: 0.1)
            printed = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        }
        try #require(printed.contains("Ctrl-C stops"), "the demo did not report its dashboard: \(printed)")
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("analyst API: ") })
        let api = try #require(line.split(separator: " ").dropFirst(2).first.map(String.init))
        let token = try #require(line.split(separator: " ").last.map { String($0.dropLast()) })
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-H", "Authorization: Bearer \(token)", api]
        let body = Pipe()
        curl.standardOutput = body
        try curl.run()
        let answer = body.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let operations = (try JSONSerialization.jsonObject(with: answer) as? [String: Any])?["operations"] as? [Any]
        #expect(!(operations ?? []).isEmpty, "the running node answers the analyst API")

        let (pids, ports) = Self.processes(work)
        #expect(pids.count == 6 && pids.allSatisfy(Self.alive), "the nodes keep running")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(pids.allSatisfy { !Self.alive($0) })
        #expect(ports.allSatisfy { !Self.accepts($0) })
    }

    @Test func refusesAWorkFolderThatIsNotEmpty() throws {
        let work = try WeftProcess.temporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: work + "/something"))
        let result = try WeftProcess.run(["demo", "--tier", "tiny", "--workdir", work])
        #expect(result.status == 64)
        #expect(result.stderr.contains("not empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: work) == ["something"])
    }
}
