import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small file holding a secret as `HEADER` then a base64 line: created with mode 0600 and never overwritten,
/// and refused when group or others may read it. Origin keys and federation keys are stored this way.
public enum SecretFile {
    /// Writes `secret` under `header` to a new file at `path`.
    public static func write(_ secret: [UInt8], header: String, to path: String) throws(OriginKeyError) {
        let text = "\(header)\n\(Data(secret).base64EncodedString())\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw OriginKeyError(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw OriginKeyError(path: path, reason: "cannot write the file: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads the secret from a file written by ``write(_:header:to:)``, checking its permissions first.
    public static func read(from path: String, header: String) throws(OriginKeyError) -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw OriginKeyError(path: path, reason: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw OriginKeyError(
                path: path,
                reason: "permissions \(String(mode, radix: 8)) let others read this secret; run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OriginKeyError(path: path, reason: "cannot read the file")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count == 2, lines[0] == header, let secret = Data(base64Encoded: lines[1]) else {
            throw OriginKeyError(path: path, reason: "not a \(header) file")
        }
        return Array(secret)
    }
}
