import Foundation

/// Temporary files and directories for tests, all inside one folder per test process that is removed when the
/// process exits, so that test runs do not leave stores, certificates and logs behind in the temporary directory.
/// Set `WEFT_KEEP_TEST_FILES=1` to keep the folder (its path is `$TMPDIR/weft-tests-PID`) for a look afterwards.
public enum TestScratch {
    /// This test process's folder, created on first use.
    public static let root: String = {
        let root = NSTemporaryDirectory() + "weft-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if ProcessInfo.processInfo.environment["WEFT_KEEP_TEST_FILES"] != "1" {
            atexit { try? FileManager.default.removeItem(atPath: TestScratch.root) }
        }
        return root
    }()

    /// A fresh path in ``root`` named `prefix-UUID` followed by `suffix`; nothing is created.
    public static func path(_ prefix: String, suffix: String = "") -> String {
        "\(root)/\(prefix)-\(UUID().uuidString)\(suffix)"
    }

    /// A fresh, empty directory in ``root`` named `prefix-UUID`.
    public static func directory(_ prefix: String) throws -> String {
        let path = path(prefix)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
