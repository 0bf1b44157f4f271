import Foundation
import Testing

/// A running `causeway dev`, started from the built binary on a free port, with its own
/// kubeconfig and kubectl cache directory; stopped (SIGTERM, by PID) when the test ends.
final class DevProcess: @unchecked Sendable {
    let directory: URL
    let kubeconfig: String
    let process: Process
    let url: String
    private let output: LineCollector

    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CAUSEWAY_BIN"] { return path }
        // The test bundle sits next to the package's built products.
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("causeway").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw TestFailure("the causeway binary was not found next to the tests; run `swift build` first or set CAUSEWAY_BIN")
    }

    /// A copy of the binary in `directory` that any user can run: the checkout may sit where only
    /// root can enter (a CI home directory), and proxies run as their own users. `causeway-proxy`
    /// comes along when it was built, so `causeway proxy` runs it as in the image.
    static func binaryForOtherUsers(in directory: URL) throws -> String {
        let original = try binary()
        let copy = directory.appendingPathComponent("causeway").path
        let proxy = URL(fileURLWithPath: original).deletingLastPathComponent().appendingPathComponent("causeway-proxy").path
        for (source, target) in [(original, copy), (proxy, directory.appendingPathComponent("causeway-proxy").path)]
        where FileManager.default.isExecutableFile(atPath: source) && !FileManager.default.fileExists(atPath: target) {
            try FileManager.default.copyItem(atPath: source, toPath: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        return copy
    }

    init(extraArguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("causeway-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["dev", "--port", "0", "--kubeconfig", kubeconfig] + extraArguments
        process.environment = childEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        output = LineCollector(pipe.fileHandleForReading)
        try process.run()
        guard let line = output.waitForLine(containing: "listening on", timeout: 20) else {
            process.terminate()
            throw TestFailure("causeway dev did not start: \(output.text)")
        }
        url = String(line.split(separator: " ").first { $0.hasPrefix("https://") || $0.hasPrefix("http://") } ?? "")
    }

    /// Runs kubectl against this cluster; fails the test on a non-zero exit unless `allowFailure`.
    @discardableResult
    func kubectl(_ arguments: String..., stdin: String? = nil, allowFailure: Bool = false) throws -> CommandResult {
        try kubectl(arguments, stdin: stdin, allowFailure: allowFailure)
    }

    @discardableResult
    func kubectl(_ arguments: [String], stdin: String? = nil, allowFailure: Bool = false) throws -> CommandResult {
        guard let kubectl = CommandRunner.which("kubectl") else { throw TestFailure("kubectl is not on PATH (scripts/setup.sh says how to install it)") }
        let result = try CommandRunner.run(kubectl, ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path]
                                           + arguments, stdin: stdin)
        if result.status != 0, !allowFailure {
            throw TestFailure("kubectl \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return result
    }

    /// Starts kubectl in the background (for `get -w`); the caller reads its lines and stops it.
    func kubectlStreaming(_ arguments: [String]) throws -> (Process, LineCollector) {
        guard let kubectl = CommandRunner.which("kubectl") else { throw TestFailure("kubectl is not on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kubectl)
        process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", directory.appendingPathComponent("cache").path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let collector = LineCollector(pipe.fileHandleForReading)
        try process.run()
        return (process, collector)
    }

    var log: String { output.text }

    /// `causeway dev --no-controller` prepared as the chart would leave a cluster for a controller
    /// started separately: the CRDs, the `causeway-system` namespace and the GatewayClass.
    static func readyForController() throws -> DevProcess {
        let cluster = try DevProcess(extraArguments: ["--no-controller"])
        do {
            let manifests = KubectlEndToEndTests.root.appendingPathComponent("Manifests")
            try cluster.kubectl("apply", "--server-side", "-f", manifests.appendingPathComponent("gateway-api/standard").path,
                                "-f", manifests.appendingPathComponent("crds").path)
            try cluster.kubectl("create", "namespace", "causeway-system")
            try cluster.kubectl(["apply", "-f", "-"], stdin: """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: causeway}
                spec: {controllerName: causeway.dev/gateway-controller}
                """)
        } catch {
            cluster.stop()
            throw error
        }
        return cluster
    }

    func stop() {
        terminate(process, name: "causeway dev", log: { self.output.text })
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The environment for a `causeway` child: it ends itself if this test process dies first.
func childEnvironment() -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["CAUSEWAY_PARENT_PID"] = String(getpid())
    return environment
}

/// SIGTERM, and SIGKILL if the process has not exited 20 s later — which is a bug the test
/// reports, rather than a run that never ends.
func terminate(_ process: Process, name: String, log: () -> String) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(20)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        Issue.record("\(name) did not exit within 20 s of SIGTERM; its output ends with: \(log().suffix(3000))")
    }
    process.waitUntilExit()
}

/// Collects a child's output as it arrives, so a test can wait for something (with a deadline).
final class LineCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer = ""

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self.condition.lock()
            self.buffer += String(decoding: data, as: UTF8.self)
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return buffer
    }

    /// Waits until the output holds a line containing `needle` (and returns it), or the deadline passes.
    func waitForLine(containing needle: String, timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let line = buffer.split(separator: "\n").first(where: { $0.contains(needle) }) { return String(line) }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    /// Waits until the whole output contains `needle`.
    func waitFor(_ needle: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !buffer.contains(needle) {
            if !condition.wait(until: deadline) { return buffer.contains(needle) }
        }
        return true
    }
}
