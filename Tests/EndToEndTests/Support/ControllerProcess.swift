import Foundation

/// A `causeway controller` child process against a `causeway dev` cluster, stopped by PID.
final class ControllerProcess: @unchecked Sendable {
    let process: Process
    let identity: String
    let output: LineCollector

    init(cluster: DevProcess, identity: String, configPort: Int = 0, extraArguments: [String] = []) throws {
        self.identity = identity
        process = Process()
        process.executableURL = URL(fileURLWithPath: try DevProcess.binary())
        process.arguments = ["controller", "--kubeconfig", cluster.kubeconfig, "--namespace", "causeway-system",
                             "--identity", identity, "--ops-port", "0", "--config-port", String(configPort)] + extraArguments
        process.environment = childEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        output = LineCollector(pipe.fileHandleForReading)
        try process.run()
    }

    /// SIGTERM and wait: the controller releases its Lease on the way out.
    func stop() {
        terminate(process, name: "causeway controller \(identity)", log: { output.text })
    }
}

/// A TCP port nothing listens on right now (bound and released), for a process that must keep
/// one port across restarts.
func freeTCPPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
