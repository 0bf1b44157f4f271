import Foundation
import KubeModel

/// Runs a `client.authentication.k8s.io` exec plugin and reads the `ExecCredential` it prints.
struct ExecPlugin {
    var config: ExecConfig
    var cluster: ExecClusterInfo?

    struct Result {
        var credentials: Credentials
        var expiration: Date?
    }

    func run() async throws -> Result {
        if config.interactiveMode == "Always" {
            throw KubeConfigError("exec plugin \(config.command) requires an interactive terminal (interactiveMode: Always), which a controller does not have")
        }
        guard let executable = Self.locate(config.command) else {
            var message = "exec plugin \"\(config.command)\" was not found"
            if let hint = config.installHint { message += ": \(hint)" }
            throw KubeConfigError(message)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = config.args ?? []
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] = execInfo().jsonString
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice

        let command = config.command
        let (stdout, stderr, exitCode): (Data, Data, Int32) = try await withCheckedThrowingContinuation { continuation in
            // Reading the pipes blocks, so it happens on a dispatch thread, never on the cooperative pool.
            DispatchQueue.global().async {
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: KubeConfigError("exec plugin \(command) could not start: \(error)"))
                    return
                }
                let errorData = PipeDrain(errors.fileHandleForReading)
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (data, errorData.finish(), process.terminationStatus))
            }
        }
        guard exitCode == 0 else {
            let detail = String(decoding: stderr.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubeConfigError("exec plugin \(command) exited with status \(exitCode)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        return try Self.parse(Array(stdout), expectedAPIVersion: config.apiVersion, command: command)
    }

    private func execInfo() -> JSONValue {
        var spec: [String: JSONValue] = ["interactive": false]
        if let cluster {
            var info: [String: JSONValue] = ["server": .string(cluster.server),
                                             "insecure-skip-tls-verify": .bool(cluster.insecureSkipTLSVerify)]
            if let name = cluster.tlsServerName { info["tls-server-name"] = .string(name) }
            if let ca = cluster.certificateAuthorityData { info["certificate-authority-data"] = .string(ca) }
            spec["cluster"] = .object(info)
        }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": .object(spec)]
    }

    static func parse(_ bytes: [UInt8], expectedAPIVersion: String, command: String) throws -> Result {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw KubeConfigError("exec plugin \(command) printed something that is not an ExecCredential: \(error)")
        }
        guard json["kind"]?.stringValue == "ExecCredential" else {
            throw KubeConfigError("exec plugin \(command) printed kind \(json["kind"]?.stringValue ?? "none"), expected ExecCredential")
        }
        if let version = json["apiVersion"]?.stringValue, version != expectedAPIVersion {
            throw KubeConfigError("exec plugin \(command) answered apiVersion \(version), but the kubeconfig asked for \(expectedAPIVersion)")
        }
        guard let status = json["status"] else {
            throw KubeConfigError("exec plugin \(command) printed an ExecCredential without status")
        }
        var credentials = Credentials()
        if let token = status["token"]?.stringValue, !token.isEmpty { credentials.authorization = "Bearer \(token)" }
        let cert = status["clientCertificateData"]?.stringValue
        let key = status["clientKeyData"]?.stringValue
        if (cert == nil) != (key == nil) {
            throw KubeConfigError("exec plugin \(command) returned a client certificate without a key, or a key without a certificate")
        }
        credentials.clientCertificatePEM = cert.map { Array($0.utf8) }
        credentials.clientKeyPEM = key.map { Array($0.utf8) }
        if credentials.authorization == nil, credentials.clientCertificatePEM == nil {
            throw KubeConfigError("exec plugin \(command) returned neither a token nor a client certificate")
        }
        var expiration: Date?
        if let text = status["expirationTimestamp"]?.stringValue {
            guard let date = RFC3339.parse(text) else {
                throw KubeConfigError("exec plugin \(command) returned an invalid expirationTimestamp \"\(text)\"")
            }
            expiration = date
        }
        return Result(credentials: credentials, expiration: expiration)
    }

    static func locate(_ command: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Drains a pipe on its own thread so a chatty plugin cannot block on a full stderr buffer.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        DispatchQueue.global().async { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}
