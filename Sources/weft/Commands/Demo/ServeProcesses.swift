import Foundation
import Synchronization

/// The `weft serve` child processes of `weft demo`. Each listens on 127.0.0.1 on ports the system picks and
/// announces them on its standard output, which goes to `serve.out` in its home (its log to `serve.log`).
///
/// Every child's pid is also kept in a process-wide registry, so that an interrupt (Ctrl-C, SIGTERM) or a
/// failure anywhere stops them all: nothing is left running and nothing listening.
final class ServeProcesses {
    /// One running node.
    struct Child {
        let name: String
        let home: String
        let process: Process
        /// `https://127.0.0.1:PORT` of its mutual-TLS sync server.
        let syncURL: String
        /// `http://127.0.0.1:PORT` of its operations listener (health, metrics).
        let opsURL: String

        /// The ports it listens on.
        var ports: [Int] { [syncURL, opsURL].compactMap { URL(string: $0)?.port } }
    }

    /// Pids of every child still to be stopped, shared with the signal handlers.
    private static let registry = Mutex<Set<pid_t>>([])

    private(set) var children: [Child] = []
    let executable: String

    init(executable: String) {
        self.executable = executable
    }

    /// Starts `weft serve --home HOME` and waits until it announces both listeners.
    func start(name: String, home: String, arguments: [String], timeout: TimeInterval = 30) throws -> Child {
        let outPath = home + "/serve.out"
        let logPath = home + "/serve.log"
        for path in [outPath, logPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIFailure("cannot create \(path)")
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--home", home] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["WEFT_HOME"] = nil
        process.environment = environment
        try process.run()
        Self.registry.withLock { _ = $0.insert(process.processIdentifier) }
        try? "\(process.processIdentifier)\n".write(toFile: home + "/serve.pid", atomically: true, encoding: .utf8)

        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            let sync = Self.announced("sync listening on ", in: text)
            let ops = Self.announced("ops listening on ", in: text)
            if let sync, let ops {
                let child = Child(name: name, home: home, process: process, syncURL: sync, opsURL: ops)
                children.append(child)
                return child
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Self.stop(process, grace: 2)
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw CLIFailure(
            "\(name): `weft serve` did not start listening (log \(logPath)):\n"
                + log.split(separator: "\n").suffix(5).joined(separator: "\n"))
    }

    /// Stops every child: SIGTERM (graceful shutdown), then SIGKILL after `grace` seconds. Returns the names of
    /// the nodes that had to be killed or had already died.
    @discardableResult
    func stopAll(grace: TimeInterval = 15) -> [String] {
        for child in children where child.process.isRunning {
            kill(child.process.processIdentifier, SIGTERM)
        }
        var unclean: [String] = []
        for child in children {
            if !Self.stop(child.process, grace: grace) { unclean.append(child.name) }
        }
        return unclean
    }

    /// Ports of every child that still accept connections (empty once all are stopped).
    func listeningPorts() -> [Int] {
        children.flatMap(\.ports).filter(Self.accepts(port:))
    }

    /// On SIGINT or SIGTERM: stop every child, then exit with 130 (interrupted). The handlers work while the
    /// returned sources are alive; keep them until the children are stopped.
    static func stopChildrenOnInterrupt() -> [any DispatchSourceSignal] {
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nweft demo: interrupted; stopping every node\n".utf8))
                let pids = registry.withLock { $0 }
                for pid in pids { kill(pid, SIGTERM) }
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline && pids.contains(where: { kill($0, 0) == 0 }) {
                    Thread.sleep(forTimeInterval: 0.1)
                }
                for pid in pids where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
                exit(130)
            }
            source.resume()
            return source
        }
        return sources
    }

    /// Waits for `process` to exit, killing it after `grace` seconds; true if it stopped by itself.
    @discardableResult
    private static func stop(_ process: Process, grace: TimeInterval) -> Bool {
        defer { _ = registry.withLock { $0.remove(process.processIdentifier) } }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard process.isRunning else { return process.terminationStatus == 0 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// The URL after `prefix` on a line of `text`.
    private static func announced(_ prefix: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// True if something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
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
}
