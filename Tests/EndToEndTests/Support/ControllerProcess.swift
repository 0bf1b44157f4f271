import Foundation

/// A `causeway controller` child process, stopped by PID.
final class ControllerProcess: @unchecked Sendable {
    let process: Process
    let name: String
    let output: LineCollector

    /// `causeway controller` for `cluster` in causeway-system, as replica `identity`.
    convenience init(cluster: DevProcess, identity: String, configPort: Int = 0, extraArguments: [String] = []) throws {
        try self.init(name: "causeway controller \(identity)", arguments: [
            "controller", "--kubeconfig", cluster.kubeconfig, "--namespace", "causeway-system",
            "--identity", identity, "--ops-port", "0", "--config-port", String(configPort),
        ] + extraArguments)
    }

    /// `causeway ARGUMENTS...` with extra environment (a pod's, when it stands in for one), or
    /// another `executable` that runs causeway (setpriv, to run it as another user).
    init(name: String, arguments: [String], environment: [String: String] = [:], executable: String? = nil) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: try executable ?? DevProcess.binary())
        process.arguments = arguments
        process.environment = childEnvironment().merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        output = LineCollector(pipe.fileHandleForReading)
        try process.run()
    }

    /// SIGTERM and wait: the controller releases its Lease on the way out.
    func stop() {
        terminate(process, name: name, log: { output.text })
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
