import Foundation
import TestSupport
import Testing

/// `causeway init` as a pod's init container runs it: the real binary, in network namespaces
/// this test creates ("a" the meshed pod, "b" another pod, a veth pair between them), with
/// `causeway echo` servers that say who answered. Stand-ins for the proxy listen on a's 15001
/// and 15006, so where a connection lands shows what was captured. Runs once per backend.
@Suite struct CaptureEndToEndTests {
    @Test(.enabled(if: CaptureLab.unavailable(.nft) == nil, Comment(rawValue: CaptureLab.unavailable(.nft) ?? "")))
    func nftBackend() async throws {
        try await CaptureLab.run(.nft)
    }

    @Test(.enabled(if: CaptureLab.unavailable(.legacy) == nil, Comment(rawValue: CaptureLab.unavailable(.legacy) ?? "")))
    func legacyBackend() async throws {
        try await CaptureLab.run(.legacy)
    }

    /// Bad flags are refused before anything is touched, with the flag and the value; no privilege needed.
    @Test func invalidArgumentsAreRefused() throws {
        let binary = try DevProcess.binary()
        for (arguments, message) in [
            (["--exclude-outbound-ports", "80,70000"], "--exclude-outbound-ports: 70000 is not a port"),
            (["--exclude-outbound-cidrs", "10.0.0.0/33"], "--exclude-outbound-cidrs: \"10.0.0.0/33\" is not a CIDR"),
            (["--include-inbound-ports", "http"], "--include-inbound-ports: \"http\" is not a port"),
            (["--backend", "iptables"], "--backend: \"iptables\" is not a backend: expected auto, nft or legacy"),
        ] {
            let result = try CommandRunner.run(binary, ["init", "--dry-run"] + arguments, timeout: 20)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// --dry-run prints both families' restore input and touches nothing (so it needs no privilege).
    @Test func dryRunPrintsTheRules() throws {
        let result = try CommandRunner.run(try DevProcess.binary(), [
            "init", "--dry-run", "--exclude-inbound-ports", "15021,15000", "--exclude-outbound-cidrs", "10.0.0.0/8,fd00::/8",
        ], timeout: 20)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("# IPv4: iptables-restore --noflush input"))
        #expect(result.stdout.contains("-A CAUSEWAY_OUTPUT -d 10.0.0.0/8 -j RETURN"))
        #expect(result.stdout.contains("-A CAUSEWAY_INBOUND -p tcp --dport 15021 -j RETURN"))
        #expect(result.stdout.contains("-A OUTPUT -p tcp -j CAUSEWAY_OUTPUT"))
        if FileManager.default.fileExists(atPath: "/proc/net/if_inet6") {
            #expect(result.stdout.contains("-A CAUSEWAY_OUTPUT -d fd00::/8 -j RETURN"))
        }
        let undo = try CommandRunner.run(try DevProcess.binary(), ["init", "--dry-run", "--undo", "--no-ipv6"], timeout: 20)
        #expect(undo.stdout.contains("-D OUTPUT -p tcp -j CAUSEWAY_OUTPUT") && undo.stdout.contains("-X CAUSEWAY_REDIRECT"))
        #expect(!undo.stdout.contains("IPv6"))
    }
}

/// Two network namespaces linked by a veth pair, the processes in them, and the checks. Names
/// carry this test process's PID, so parallel runs do not collide and a later run can remove
/// what a killed one left behind.
final class CaptureLab: @unchecked Sendable {
    enum Backend: String { case nft, legacy }

    static let prefix = "cwcap-"
    static let proxyUID = "15337"
    // a and b share two IPv4 subnets and two IPv6 ones; the second of each is excluded from capture.
    static let aAddress = "10.200.0.1", bAddress = "10.200.0.2", bExcludedAddress = "10.201.0.2"
    static let aAddress6 = "fd00:cafe::1", bAddress6 = "fd00:cafe::2", bExcludedAddress6 = "fd00:beef::2"
    // Ports: b serves 8080 (captured) and 9090 (excluded outbound); a's app serves 7070 (excluded
    // inbound); 7071 has no listener, so only a redirect can answer it.
    static let initArguments = [
        "--exclude-inbound-ports", "7070,15021,15000", "--exclude-outbound-ports", "9090",
        "--exclude-outbound-cidrs", "10.201.0.0/24,fd00:beef::/64",
    ]

    let backend: Backend
    let a: String
    let b: String
    private var processes: [(name: String, process: Process, output: LineCollector)] = []
    private var namespaces: [String] = []

    /// Why this backend's run cannot happen here; nil when it can.
    static func unavailable(_ backend: Backend) -> String? {
        if let reason = namespacesUnavailable { return reason }
        for tool in ["iptables-\(backend)-restore", "iptables-\(backend)-save", "ip6tables-\(backend)-restore", "ip6tables-\(backend)-save"]
        where program(tool) == nil {
            return "needs \(tool) for the \(backend) backend (scripts/setup.sh installs iptables)"
        }
        return nil
    }

    /// Checked once: root, the programs, and a namespace actually created and deleted.
    private static let namespacesUnavailable: String? = {
        guard getuid() == 0 else { return "needs root for network namespaces and iptables (CI runs as root)" }
        for tool in ["ip", "setpriv", "curl"] where program(tool) == nil {
            return "needs \(tool) (scripts/setup.sh installs iproute2 and curl; setpriv is in util-linux)"
        }
        let probe = "\(prefix)\(getpid())-probe"
        guard let add = try? CommandRunner.run(program("ip")!, ["netns", "add", probe], timeout: 10), add.status == 0 else {
            return "`ip netns add` does not work here (a container without CAP_SYS_ADMIN, or no /run/netns?)"
        }
        _ = try? CommandRunner.run(program("ip")!, ["netns", "del", probe], timeout: 10)
        return nil
    }()

    static func run(_ backend: Backend) async throws {
        let lab = CaptureLab(backend: backend)
        defer { lab.tearDown() }
        try lab.setUp()
        try await lab.check()
    }

    private init(backend: Backend) {
        self.backend = backend
        Self.removeLeftovers()
        a = "\(Self.prefix)\(getpid())-\(backend)-a"
        b = "\(Self.prefix)\(getpid())-\(backend)-b"
    }

    // MARK: - Setup and teardown

    private func setUp() throws {
        for namespace in [a, b] {
            try ip("netns", "add", namespace)
            namespaces.append(namespace)
            try ip("-n", namespace, "link", "set", "lo", "up")
            // No duplicate address detection on the link the test creates: the veth's link-local
            // address would stay tentative for a second or more, and neighbour discovery with it.
            try exec(namespace, "sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad")
        }
        // Created directly inside the namespaces: the names never meet the host's.
        try ip("-n", a, "link", "add", "veth0", "type", "veth", "peer", "name", "veth0", "netns", b)
        for (namespace, host) in [(a, "1"), (b, "2")] {
            try ip("-n", namespace, "addr", "add", "10.200.0.\(host)/24", "dev", "veth0")
            try ip("-n", namespace, "addr", "add", "10.201.0.\(host)/24", "dev", "veth0")
            try ip("-n", namespace, "addr", "add", "fd00:cafe::\(host)/64", "dev", "veth0", "nodad")
            try ip("-n", namespace, "addr", "add", "fd00:beef::\(host)/64", "dev", "veth0", "nodad")
            try ip("-n", namespace, "link", "set", "veth0", "up")
        }
        // A user's rule from before init, in the backend under test: it must survive init and undo.
        for stem in ["iptables", "ip6tables"] {
            try exec(a, "\(stem)-\(backend)", "-t", "nat", "-A", "OUTPUT", "-p", "udp", "--dport", "5353", "-j", "RETURN")
        }
        try echo(in: b, port: 8080, as: "b-main")
        try echo(in: b, port: 9090, as: "b-other")
        try echo(in: a, port: 7070, as: "a-app")
        try echo(in: a, port: 15001, as: "a-outbound")
        try echo(in: a, port: 15006, as: "a-inbound")
    }

    /// Processes first (by PID), then the namespaces, which takes their links and rules with them.
    private func tearDown() {
        for entry in processes.reversed() { terminate(entry.process, name: entry.name, log: { entry.output.text }) }
        for namespace in namespaces.reversed() { _ = try? ip("netns", "del", namespace) }
    }

    /// Namespaces of earlier runs whose test process is gone (killed before its teardown).
    private static func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).split(separator: "-").first ?? ""),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            _ = try? CommandRunner.run(program("ip") ?? "/usr/sbin/ip", ["netns", "del", name], timeout: 10)
        }
    }

    // MARK: - The checks

    private func check() async throws {
        // The link is up when b answers a directly, over both families. A new veth passes
        // traffic only once the kernel's link watcher has run (up to a second): short attempts,
        // so a SYN lost before that is retried at once rather than after TCP's one-second timeout.
        let linked = await eventually(timeout: .seconds(10)) {
            self.landings(from: self.a, [(Self.bAddress, 8080), (Self.bAddress6, 8080)], timeout: "0.2") == ["b-main", "b-main"]
        }
        try #require(linked, "a cannot reach b before init: \(landings(from: a, [(Self.bAddress, 8080), (Self.bAddress6, 8080)]))")

        let first = try initCommand("--backend", backend.rawValue)
        #expect(first.contains("backend \(backend): chosen with --backend"), "\(first)")
        let proxy = ["--reuid=\(Self.proxyUID)", "--regid=\(Self.proxyUID)"]
        expect([
            // (1) a's outbound TCP lands on a's 15001, over IPv4 and IPv6.
            Landing("a -> b (IPv4) is captured", from: a, Self.bAddress, 8080, "a-outbound"),
            Landing("a -> b (IPv6) is captured", from: a, Self.bAddress6, 8080, "a-outbound"),
            // (2) The proxy's UID, or its GID alone, reaches b directly.
            Landing("the proxy UID reaches b (IPv4)", from: a, user: proxy, Self.bAddress, 8080, "b-main"),
            Landing("the proxy UID reaches b (IPv6)", from: a, user: proxy, Self.bAddress6, 8080, "b-main"),
            Landing("the proxy GID alone reaches b", from: a, user: ["--reuid=1000", "--regid=\(Self.proxyUID)"], Self.bAddress, 8080, "b-main"),
            // (3) Loopback is not captured, nor the app calling its own pod IP (which goes over lo).
            Landing("127.0.0.1 is not captured", from: a, "127.0.0.1", 7070, "a-app"),
            Landing("::1 is not captured", from: a, "::1", 7070, "a-app"),
            Landing("the app calling its own pod IP is not captured", from: a, Self.aAddress, 7070, "a-app"),
            // ... but the proxy calling its own pod IP (a Service whose endpoint is this pod) is
            // handed to the inbound side, unless the port is excluded inbound.
            Landing("the proxy calling its own pod IP goes inbound", from: a, user: proxy, Self.aAddress, 7071, "a-inbound"),
            Landing("... except on an excluded inbound port", from: a, user: proxy, Self.aAddress, 7070, "a-app"),
            // (4) An excluded port and excluded CIDRs reach b directly.
            Landing("an excluded outbound port reaches b", from: a, Self.bAddress, 9090, "b-other"),
            Landing("an excluded IPv4 CIDR reaches b", from: a, Self.bExcludedAddress, 8080, "b-main"),
            Landing("an excluded IPv6 CIDR reaches b", from: a, Self.bExcludedAddress6, 8080, "b-main"),
            // (5) Inbound from b lands on a's 15006; the excluded inbound port reaches the app.
            Landing("b -> a (IPv4) is captured inbound", from: b, Self.aAddress, 7071, "a-inbound"),
            Landing("b -> a (IPv6) is captured inbound", from: b, Self.aAddress6, 7071, "a-inbound"),
            Landing("b -> a's excluded inbound port reaches the app", from: b, Self.aAddress, 7070, "a-app"),
        ])

        // Again, with --backend auto: the backend already in use, and still one copy of each rule.
        let second = try initCommand("--backend", "auto")
        #expect(second.contains("backend \(backend): the namespace already uses it"), "\(second)")
        #expect(second.contains("replacing Causeway's earlier rules"), "\(second)")
        for stem in ["iptables", "ip6tables"] {
            let saved = try save(stem)
            #expect(saved.components(separatedBy: "-j CAUSEWAY_OUTPUT").count - 1 == 1, "\(stem): \(saved)")
            #expect(saved.components(separatedBy: "-A PREROUTING -p tcp -j CAUSEWAY_INBOUND").count - 1 == 1, "\(stem): \(saved)")
        }
        expect([Landing("a -> b is still captured after a second init", from: a, Self.bAddress, 8080, "a-outbound")])

        // Without CAP_NET_ADMIN init says so, and changes nothing.
        let unprivileged = try CommandRunner.run(program("ip")!, ["netns", "exec", a, "setpriv", "--reuid=15338", "--regid=15338",
                                                                  "--clear-groups", try DevProcess.binary(), "init"], timeout: 20)
        #expect(unprivileged.status == 1 && unprivileged.stderr.contains("needs CAP_NET_ADMIN"), "\(unprivileged.stderr)")

        // (6) Undo: direct traffic again, no Causeway chain in either family, the user's rule kept.
        let undo = try initCommand("--undo")
        #expect(undo.contains("removed 2 jump(s)"), "\(undo)")
        expect([
            Landing("a -> b (IPv4) is direct after undo", from: a, Self.bAddress, 8080, "b-main"),
            Landing("a -> b (IPv6) is direct after undo", from: a, Self.bAddress6, 8080, "b-main"),
            Landing("b -> a:7071 finds no listener after undo", from: b, Self.aAddress, 7071, ""),
        ])
        for stem in ["iptables", "ip6tables"] {
            let saved = try save(stem)
            #expect(!saved.contains("CAUSEWAY"), "\(stem): \(saved)")
            #expect(saved.contains("-A OUTPUT -p udp -m udp --dport 5353 -j RETURN"), "\(stem): \(saved)")
        }
        // The other backend was only read, never written: reading without -t creates no table.
        let other = backend == .nft ? "legacy" : "nft"
        let untouched = try exec(a, "iptables-\(other)-save")
        #expect(!untouched.contains("*nat"), "iptables-\(other)-save: \(untouched)")
        let again = try initCommand("--undo")
        #expect(again.contains("nothing of Causeway's to remove"), "\(again)")
    }

    // MARK: - Helpers

    /// A connection and the echo that should answer it (empty: none).
    struct Landing {
        var what: String
        var namespace: String
        var user: [String]
        var target: (host: String, port: Int)
        var expected: String

        init(_ what: String, from namespace: String, user: [String] = [], _ host: String, _ port: Int, _ expected: String) {
            (self.what, self.namespace, self.user, self.target, self.expected) = (what, namespace, user, (host, port), expected)
        }
    }

    /// Checks every landing, with one curl per namespace and user (each process start costs more
    /// than the requests).
    private func expect(_ landings: [Landing], sourceLocation: SourceLocation = #_sourceLocation) {
        var groups: [(namespace: String, user: [String], indices: [Int])] = []
        for (index, landing) in landings.enumerated() {
            if let group = groups.firstIndex(where: { $0.namespace == landing.namespace && $0.user == landing.user }) {
                groups[group].indices.append(index)
            } else {
                groups.append((landing.namespace, landing.user, [index]))
            }
        }
        for group in groups {
            let answers = self.landings(from: group.namespace, group.indices.map { landings[$0].target }, user: group.user)
            for (index, answer) in zip(group.indices, answers) {
                #expect(answer == landings[index].expected, "\(landings[index].what)", sourceLocation: sourceLocation)
            }
        }
    }

    /// `causeway init ARGUMENTS` in a, with the lab's exclusions unless undoing; its output.
    private func initCommand(_ arguments: String...) throws -> String {
        let extra = arguments.contains("--undo") ? [] : Self.initArguments
        let result = try CommandRunner.run(program("ip")!, ["netns", "exec", a, try DevProcess.binary(), "init"] + arguments + extra,
                                           timeout: 30)
        guard result.status == 0 else {
            throw TestFailure("causeway init \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return result.stdout
    }

    /// Who answered a GET to each target from `namespace` (the echo's `pod`), optionally as
    /// another user via setpriv; empty where nothing did. One curl for all targets: it writes a
    /// marker line after each transfer, failed ones included.
    private func landings(from namespace: String, _ targets: [(host: String, port: Int)], user: [String] = [],
                          timeout: String = "3") -> [String] {
        let marker = "@@causeway-capture@@"
        let setpriv = user.isEmpty ? [] : ["setpriv"] + user + ["--clear-groups"]
        let urls = targets.map { "http://\($0.host.contains(":") ? "[\($0.host)]" : $0.host):\($0.port)/" }
        let result = try? CommandRunner.run(program("ip")!, ["netns", "exec", namespace] + setpriv + [
            "curl", "-s", "--noproxy", "*", "--max-time", timeout, "-w", "\n\(marker)\n",
        ] + urls, timeout: 20)
        let bodies = (result?.stdout ?? "").components(separatedBy: marker).prefix(targets.count)
        let pods = bodies.map { body -> String in
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return "" }
            return object["pod"] as? String ?? ""
        }
        return pods + Array(repeating: "", count: targets.count - pods.count)
    }

    private func save(_ stem: String) throws -> String {
        try exec(a, "\(stem)-\(backend)-save")
    }

    /// `causeway echo` in `namespace` on `port`, answering as `name`; ready when it says it listens.
    private func echo(in namespace: String, port: Int, as name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.program("ip")!)
        // `ip netns exec` execs the command in place, so the PID is the echo's own: stopping it by
        // PID stops the server, and its CAUSEWAY_PARENT_PID watch sees this process.
        process.arguments = ["netns", "exec", namespace, try DevProcess.binary(), "echo", "--port", String(port), "--address", "::"]
        process.environment = childEnvironment().merging(["POD_NAME": name]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = LineCollector(pipe.fileHandleForReading)
        try process.run()
        processes.append((name, process, output))
        guard output.waitForLine(containing: "listening on", timeout: 10) != nil else {
            throw TestFailure("causeway echo \(name) did not start in \(namespace): \(output.text)")
        }
    }

    @discardableResult
    private func ip(_ arguments: String...) throws -> String {
        let result = try CommandRunner.run(Self.program("ip")!, arguments, timeout: 10)
        guard result.status == 0 else { throw TestFailure("ip \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result.stdout
    }

    @discardableResult
    private func exec(_ namespace: String, _ command: String...) throws -> String {
        let result = try CommandRunner.run(Self.program("ip")!, ["netns", "exec", namespace] + command, timeout: 10)
        guard result.status == 0 else { throw TestFailure("\(command.joined(separator: " ")) in \(namespace) failed: \(result.stderr)") }
        return result.stdout
    }

    private func program(_ name: String) -> String? { Self.program(name) }

    /// On PATH, or in the sbin directories a non-login PATH may lack.
    static func program(_ name: String) -> String? {
        CommandRunner.which(name) ?? ["/usr/sbin", "/sbin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
