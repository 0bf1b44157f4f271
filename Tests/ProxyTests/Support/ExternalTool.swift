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

    /// Runs the tool to completion; a run longer than `timeout` seconds is killed and fails.
    static func run(_ path: String, _ arguments: [String], stdin: String? = nil, timeout: Double = 120) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Drain both pipes while the tool runs: one that fills a pipe would otherwise never exit.
        async let stdout = Self.readToEnd(out.fileHandleForReading)
        async let stderr = Self.readToEnd(err.fileHandleForReading)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            process.terminate()
        }
        for await _ in exited.stream {}
        watchdog.cancel()
        let output = Output(status: process.terminationStatus, stdout: await stdout, stderr: await stderr)
        if (try? await watchdog.value) != nil {
            throw ToolFailed(message: "\(path) \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        return output
    }

    private static func readToEnd(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
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
