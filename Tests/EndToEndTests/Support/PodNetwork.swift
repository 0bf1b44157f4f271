import Foundation

/// "Pods" as network namespaces on one bridge, the way a node's CNI lays them out: a node
/// namespace holds bridge `br0` (the pods' gateway) and reaches the host through a veth pair,
/// masquerading the pods' traffic, so pods call the control plane at the host's end of that pair
/// and nothing in the host's own namespace changes but one veth. Everything is deleted in `stop`.
final class PodNetwork: @unchecked Sendable {
    /// The host's address, as the pods reach it.
    let hostAddress = "10.231.0.1"
    let podSubnetPrefix = "10.232.0"
    private let id: String
    private let ip: String
    private var namespaces: [String] = []
    /// Held while the network exists: two test processes (say, two checkouts) would otherwise
    /// fight over the same addresses.
    private let lock: Int32
    private var processes: [(process: Process, name: String, output: LineCollector, kill: Bool)] = []

    /// Why this machine cannot build the network (not root, no `ip`), or nil when it can.
    static var unavailableReason: String? {
        guard getuid() == 0 else { return "needs root for network namespaces (CI runs as root)" }
        guard CommandRunner.which("ip") != nil else { return "needs iproute2 (`ip`)" }
        guard CommandRunner.which("iptables") != nil else { return "needs iptables" }
        return nil
    }

    init() throws {
        guard let ip = CommandRunner.which("ip") else { throw TestFailure("ip is not on PATH") }
        self.ip = ip
        lock = open("/tmp/causeway-pod-network.lock", O_CREAT | O_RDWR, 0o644)
        flock(lock, LOCK_EX)
        id = String(UInt32.random(in: 0..<0xFFFF), radix: 16)
        let node = nodeNamespace
        do {
            try Self.removeLeftovers(ip: ip)
            try run(["netns", "add", node])
            namespaces.append(node)
            try run(["link", "add", "cwh\(id)", "type", "veth", "peer", "name", "cwn\(id)"])
            try run(["link", "set", "cwn\(id)", "netns", node])
            try run(["addr", "add", "\(hostAddress)/30", "dev", "cwh\(id)"])
            try run(["link", "set", "cwh\(id)", "up"])
            try exec(node, [ip, "addr", "add", "10.231.0.2/30", "dev", "cwn\(id)"])
            try exec(node, [ip, "link", "set", "cwn\(id)", "up"])
            try exec(node, [ip, "link", "set", "lo", "up"])
            try exec(node, [ip, "link", "add", "br0", "type", "bridge"])
            try exec(node, [ip, "addr", "add", "\(podSubnetPrefix).1/24", "dev", "br0"])
            try exec(node, [ip, "link", "set", "br0", "up"])
            try exec(node, [ip, "route", "add", "default", "via", hostAddress])
            try exec(node, ["/usr/sbin/sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
            try exec(node, [CommandRunner.which("iptables") ?? "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "cwn\(id)", "-j", "MASQUERADE"])
        } catch {
            stop()
            throw error
        }
    }

    var nodeNamespace: String { "cw\(id)-node" }
    func namespace(_ pod: String) -> String { "cw\(id)-\(pod)" }
    /// The node-side end of a pod's veth, where its packets can be captured.
    func hostInterface(_ pod: String) -> String { "cwp\(id)\(pod.prefix(4))" }

    /// A pod namespace with `address` (and `ipv6Address`, on the same link) on `eth0`, its veth's
    /// other end on the node's bridge.
    func addPod(_ pod: String, address: String, ipv6Address: String? = nil) throws {
        let name = namespace(pod)
        try run(["netns", "add", name])
        namespaces.append(name)
        let outside = hostInterface(pod)
        try run(["link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", name])
        try run(["link", "set", outside, "netns", nodeNamespace])
        try exec(nodeNamespace, [ip, "link", "set", outside, "master", "br0"])
        try exec(nodeNamespace, [ip, "link", "set", outside, "up"])
        try exec(name, [ip, "addr", "add", "\(address)/24", "dev", "eth0"])
        if let ipv6Address {
            // No duplicate address detection: the address is usable at once.
            try exec(name, [ip, "-6", "addr", "add", "\(ipv6Address)/64", "dev", "eth0", "nodad"])
        }
        try exec(name, [ip, "link", "set", "eth0", "up"])
        try exec(name, [ip, "link", "set", "lo", "up"])
        try exec(name, [ip, "route", "add", "default", "via", "\(podSubnetPrefix).1"])
    }

    /// Runs a command inside `namespace` and waits for it.
    @discardableResult
    func exec(_ namespace: String, _ command: [String], allowFailure: Bool = false, timeout: Double = 30) throws -> CommandResult {
        let result = try CommandRunner.run(ip, ["netns", "exec", namespace] + command, timeout: timeout)
        if result.status != 0, !allowFailure {
            throw TestFailure("in \(namespace): \(command.joined(separator: " ")) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return result
    }

    /// Starts a long-running command inside `namespace` (as `uid` when given); stopped by PID in
    /// `stop`. `ip netns exec` and `setpriv` exec into the command, so the PID is the command's.
    /// Tools that are not Causeway's (tcpdump, openssl) get SIGKILL: started from the test runner
    /// they ignore SIGTERM and SIGINT (the signals arrive blocked), and they hold no state to lose.
    @discardableResult
    func spawn(_ namespace: String, name: String, uid: Int? = nil, _ command: [String], environment: [String: String] = [:],
               stopWithKill: Bool = false) throws -> LineCollector {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        var arguments = ["netns", "exec", namespace]
        if let uid {
            arguments += [CommandRunner.which("setpriv") ?? "setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups"]
        }
        process.arguments = arguments + command
        process.environment = childEnvironment().merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = LineCollector(pipe.fileHandleForReading)
        try process.run()
        processes.append((process, name, output, stopWithKill))
        return output
    }

    /// Ends the process started as `name` with SIGKILL (see `spawn`); tcpdump with `-U` has
    /// written every packet by then.
    func kill(_ name: String) {
        guard let entry = processes.first(where: { $0.name == name }), entry.process.isRunning else { return }
        Foundation.kill(entry.process.processIdentifier, SIGKILL)
        entry.process.waitUntilExit()
    }

    func logs() -> String {
        processes.map { "--- \($0.name)\n\($0.output.text.suffix(3000))" }.joined(separator: "\n")
    }

    func stop() {
        for entry in processes.reversed() {
            if entry.kill {
                kill(entry.name)
            } else {
                terminate(entry.process, name: entry.name, log: { entry.output.text })
            }
        }
        processes.removeAll()
        // Deleting a namespace deletes its veth ends, and with them their peers.
        for name in namespaces.reversed() { _ = try? CommandRunner.run(ip, ["netns", "del", name]) }
        namespaces.removeAll()
        _ = try? CommandRunner.run(ip, ["link", "del", "cwh\(id)"])
        if lock >= 0 {
            flock(lock, LOCK_UN)
            close(lock)
        }
    }

    /// A run that was killed (no teardown) leaves its namespaces and host link behind, and with
    /// them the addresses this one needs. Safe under the lock: nobody else is using them.
    private static func removeLeftovers(ip: String) throws {
        let namespaces = try CommandRunner.run(ip, ["netns", "list"]).stdout.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix("cw") && $0.contains("-") && $0.split(separator: "-").first!.dropFirst(2).allSatisfy(\.isHexDigit) }
        for name in namespaces { _ = try? CommandRunner.run(ip, ["netns", "del", name]) }
        let links = try CommandRunner.run(ip, ["-o", "link", "show"]).stdout.split(separator: "\n")
            .compactMap { line in line.split(separator: ":").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } }
            .map { $0.split(separator: "@").first.map(String.init) ?? $0 }
            .filter { $0.hasPrefix("cwh") }
        for link in links { _ = try? CommandRunner.run(ip, ["link", "del", link]) }
    }

    private func run(_ arguments: [String]) throws {
        let result = try CommandRunner.run(ip, arguments)
        if result.status != 0 { throw TestFailure("ip \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
    }
}
