import Foundation

/// A `causeway controller` child process against a `causeway dev` cluster, stopped by PID.
final class ControllerProcess: @unchecked Sendable {
    let process: Process
    let identity: String
    let output: LineCollector

    init(cluster: DevProcess, identity: String, extraArguments: [String] = []) throws {
        self.identity = identity
        process = Process()
        process.executableURL = URL(fileURLWithPath: try DevProcess.binary())
        process.arguments = ["controller", "--kubeconfig", cluster.kubeconfig, "--namespace", "causeway-system",
                             "--identity", identity, "--ops-port", "0", "--config-port", "0"] + extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        output = LineCollector(pipe.fileHandleForReading)
        try process.run()
    }

    /// SIGTERM and wait: the controller releases its Lease on the way out.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
