import Foundation

/// Runs command-line tools (curl, nghttp, openssl) the tests drive the proxy with.
enum ExternalTool {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The tool's path, or nil when it is not installed (the test then skips, naming the package).
    static func find(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ path: String, _ arguments: [String], stdin: String? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            let input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            process.terminationHandler = { process in
                let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: Output(status: process.terminationStatus, stdout: stdout, stderr: stderr))
            }
            do {
                try process.run()
                if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                try? input.fileHandleForWriting.close()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Self-signed certificates made with the openssl CLI, in a temporary directory.
struct TestCertificate {
    var certificatePath: String
    var keyPath: String

    static func make(commonName: String, in directory: String) async throws -> TestCertificate? {
        guard let openssl = ExternalTool.find("openssl") else { return nil }
        let cert = "\(directory)/\(commonName).crt"
        let key = "\(directory)/\(commonName).key"
        let result = try await ExternalTool.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=DNS:\(commonName)", "-keyout", key, "-out", cert,
        ])
        guard result.status == 0 else { throw ToolFailed(message: result.stderr) }
        return TestCertificate(certificatePath: cert, keyPath: key)
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "causeway-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

struct ToolFailed: Error { var message: String }
