import ArgumentParser
import Capture
import Foundation

/// `causeway init`: transparent capture for a sidecar, run by the injected `causeway-init`
/// container in the pod's network namespace before the app starts. Outbound TCP goes to the
/// proxy's outbound port, inbound TCP to its inbound port; the rules are Capture's, applied with
/// `iptables-restore --noflush` of the chosen backend, read back and checked.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Redirect this network namespace's TCP traffic to the sidecar proxy with iptables.",
        discussion: """
            Needs CAP_NET_ADMIN (and CAP_NET_RAW for the legacy backend). Running it again replaces \
            Causeway's rules; --undo removes exactly Causeway's chains and jumps; --dry-run prints \
            the iptables-restore input without touching anything.
            """
    )

    @Option(name: .customLong("proxy-uid"), help: "UID the proxy runs as; its connections are never captured.")
    var proxyUID: Int = 15337

    @Option(name: .customLong("proxy-gid"), help: "GID whose connections are never captured (default: the proxy UID).")
    var proxyGID: Int?

    @Option(help: "Port the proxy takes captured outbound connections on.")
    var outboundPort: Int = 15001

    @Option(help: "Port the proxy takes captured inbound connections on.")
    var inboundPort: Int = 15006

    @Option(help: "Inbound ports not captured, comma-separated (e.g. the proxy's health and admin ports).")
    var excludeInboundPorts = ""

    @Option(help: "Outbound destination ports not captured, comma-separated.")
    var excludeOutboundPorts = ""

    @Option(help: "Outbound destinations not captured, comma-separated IPv4 and IPv6 CIDRs.")
    var excludeOutboundCidrs = ""

    @Option(help: "Inbound ports captured: '*' for all, a comma-separated list, or '' for none.")
    var includeInboundPorts = "*"

    @Option(help: "iptables backend: auto (the one this namespace already uses, else nft if it works, else legacy), nft or legacy.")
    var backend = "auto"

    @Flag(help: "Leave IPv6 alone (ip6tables is used otherwise whenever the kernel has IPv6).")
    var noIpv6 = false

    @Flag(help: "Remove Causeway's chains and jumps (from every backend that has them, with --backend auto).")
    var undo = false

    @Flag(help: "Print the iptables-restore input instead of applying it; needs no privilege.")
    var dryRun = false

    func validate() throws {
        do {
            _ = try captureSpec()
            _ = try backendSelection()
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let spec = try captureSpec()
        let selection = try backendSelection()
        let families = addressFamilies()
        if dryRun {
            printDryRun(spec, families: families)
            return
        }
        // A restore whose program exits before reading its input must not kill init with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let iptables = Iptables()
        try iptables.require(.netAdmin)
        if undo {
            try removeCapture(iptables, selection: selection, families: families)
        } else {
            try installCapture(iptables, spec: spec, selection: selection, families: families)
        }
    }

    private func captureSpec() throws(CaptureError) -> CaptureSpec {
        var arguments = CaptureArguments()
        arguments.proxyUID = proxyUID
        arguments.proxyGID = proxyGID
        arguments.outboundPort = outboundPort
        arguments.inboundPort = inboundPort
        arguments.excludeInboundPorts = excludeInboundPorts
        arguments.excludeOutboundPorts = excludeOutboundPorts
        arguments.excludeOutboundCIDRs = excludeOutboundCidrs
        arguments.includeInboundPorts = includeInboundPorts
        return try arguments.spec()
    }

    private func backendSelection() throws(CaptureError) -> CaptureBackend.Selection {
        guard let selection = CaptureBackend.Selection(rawValue: backend) else {
            throw CaptureError(.unknownBackend, "--backend: \"\(backend)\" is not a backend: expected auto, nft or legacy")
        }
        return selection
    }

    /// IPv4 always; IPv6 unless --no-ipv6 or the kernel has none (then there is nothing to capture,
    /// and ip6tables would fail).
    private func addressFamilies() -> [IPFamily] {
        if noIpv6 { return [.ipv4] }
        guard FileManager.default.fileExists(atPath: "/proc/net/if_inet6") else {
            // On stderr: --dry-run's stdout stays iptables-restore input.
            FileHandle.standardError.write(Data("causeway init: IPv6 skipped: the kernel has no IPv6 here (/proc/net/if_inet6 is absent)\n".utf8))
            return [.ipv4]
        }
        return [.ipv4, .ipv6]
    }

    private func printDryRun(_ spec: CaptureSpec, families: [IPFamily]) {
        for family in families {
            let install = RestoreScript.apply(CaptureRuleset(spec, family: family), over: .empty)
            if undo {
                let removal = RestoreScript.undo(SavedRuleset(parsing: install)) ?? ""
                Console.line("# \(family): \(family.programStem)-restore --noflush input removing the rules init installs\n\(removal)")
            } else {
                Console.line("# \(family): \(family.programStem)-restore --noflush input (for a namespace without Causeway's rules)\n\(install)")
            }
        }
    }

    private func installCapture(_ iptables: Iptables, spec: CaptureSpec, selection: CaptureBackend.Selection,
                                families: [IPFamily]) throws {
        let chosen = try iptables.choose(selection, families: families)
        try iptables.require(chosen.backend.capabilities)
        Console.line("causeway init: backend \(chosen.backend): \(chosen.reason)")
        for family in families {
            let ruleset = CaptureRuleset(spec, family: family)
            let before = try iptables.save(chosen.backend, family)
            let script = RestoreScript.apply(ruleset, over: before)
            let program = try iptables.restore(chosen.backend, family, script)
            let problems = CaptureCheck.problems(expected: ruleset, actual: try iptables.save(chosen.backend, family))
            guard problems.isEmpty else {
                throw CaptureError(.verificationFailed, "\(family): the rules read back differ from those written by \(program): "
                                   + problems.joined(separator: "; ") + ". Another program may be changing iptables at the same time; run init again.")
            }
            let replaced = before.hasCausewayRules ? ", replacing Causeway's earlier rules" : ""
            Console.line("causeway init: \(family): applied with \(program) --noflush and verified\(replaced):\n\(script)")
        }
        // Rules left in the other backend by an earlier init would capture too: keep one copy.
        for other in CaptureBackend.allCases where other != chosen.backend {
            for family in families {
                guard let state = try? iptables.save(other, family), let script = RestoreScript.undo(state) else { continue }
                try iptables.require(other.capabilities)
                let program = try iptables.restore(other, family, script)
                Console.line("causeway init: \(family): removed Causeway's earlier rules from the \(other) backend with \(program)")
            }
        }
        Console.line("causeway init: " + summary(spec))
    }

    private func removeCapture(_ iptables: Iptables, selection: CaptureBackend.Selection, families: [IPFamily]) throws {
        let backends = CaptureBackend.allCases.filter { selection == .auto || $0.rawValue == selection.rawValue }
        var removed = false
        for backend in backends {
            for family in families {
                // With auto, a backend that cannot be read here (not installed, no kernel support)
                // holds nothing of ours; a backend named with --backend must be readable.
                let state: SavedRuleset?
                if selection == .auto { state = try? iptables.save(backend, family) } else { state = try iptables.save(backend, family) }
                guard let state, let script = RestoreScript.undo(state) else { continue }
                try iptables.require(backend.capabilities)
                let program = try iptables.restore(backend, family, script)
                let leftovers = CaptureCheck.leftovers(try iptables.save(backend, family))
                guard leftovers.isEmpty else {
                    throw CaptureError(.verificationFailed, "\(family): after \(program), still present: \(leftovers.joined(separator: "; "))")
                }
                let chains = state.tables.flatMap(\.causewayChains)
                let jumps = state.tables.flatMap(\.causewayJumps).count
                Console.line("causeway init --undo: \(family): removed \(jumps) jump(s) and chains \(chains.joined(separator: ", ")) "
                             + "from the \(backend) backend with \(program)")
                removed = true
            }
        }
        if !removed { Console.line("causeway init --undo: nothing of Causeway's to remove") }
    }

    private func summary(_ spec: CaptureSpec) -> String {
        func list(_ ports: [UInt16]) -> String { ports.map(String.init).joined(separator: ",") }
        var outbound = "outbound TCP -> :\(spec.outboundPort) except UID \(spec.proxyUID), GID \(spec.proxyGID), loopback"
        if !spec.excludeOutboundPorts.isEmpty { outbound += ", ports \(list(spec.excludeOutboundPorts))" }
        if !spec.excludeOutboundCIDRs.isEmpty { outbound += ", \(spec.excludeOutboundCIDRs.map(\.description).joined(separator: ","))" }
        let inbound: String
        switch spec.inboundPorts {
        case .all: inbound = "inbound TCP -> :\(spec.inboundPort) on every port"
        case .only([]): inbound = "inbound not captured"
        case .only(let ports): inbound = "inbound TCP -> :\(spec.inboundPort) on ports \(list(ports))"
        }
        let excluded = spec.excludeInboundPorts.isEmpty || !spec.capturesInbound ? "" : " except \(list(spec.excludeInboundPorts))"
        return "\(outbound); \(inbound)\(excluded)"
    }
}

/// The iptables programs of both backends, run as child processes.
private struct Iptables {
    let path = ProcessInfo.processInfo.environment["PATH"]

    func require(_ capabilities: [Capability]) throws(CaptureError) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let effective = Capability.effective(procStatus: status) else { return } // not Linux-like: let iptables say
        let missing = capabilities.filter { !$0.isIn(effective) }
        guard !missing.isEmpty else { return }
        let names = missing.map(\.description).joined(separator: " and ")
        let fix = getuid() == 0
            ? "runs as root without it: add NET_ADMIN and NET_RAW to the container's capabilities"
            : "runs as UID \(getuid()) without it: run it as root with NET_ADMIN and NET_RAW"
        throw CaptureError(.missingCapability, "causeway init needs \(names) to change this network namespace's iptables rules, and "
                           + "\(fix) (as the injected causeway-init container does), or pass --dry-run to print the rules")
    }

    func require(_ capability: Capability) throws(CaptureError) { try require([capability]) }

    /// `--backend auto` probes both backends with their save programs, which never create tables.
    func choose(_ selection: CaptureBackend.Selection, families: [IPFamily]) throws(CaptureError) -> (backend: CaptureBackend, reason: String) {
        if let backend = CaptureBackend(rawValue: selection.rawValue) {
            _ = try program(backend, .ipv4, .restore)
            return (backend, "chosen with --backend")
        }
        let probes = CaptureBackend.allCases.map { backend in
            var rules = 0
            var works = false
            for family in families {
                guard let state = try? save(backend, family) else { continue }
                rules += state.ruleCount
                works = works || family == .ipv4
            }
            return CaptureBackend.Probe(backend, works: works && (try? program(backend, .ipv4, .restore)) != nil, rules: rules)
        }
        guard let choice = CaptureBackend.choose(probes) else {
            throw CaptureError(.noBackend, "neither iptables backend works in this network namespace (nft: iptables-nft-save failed or "
                               + "is missing; legacy: iptables-legacy-save failed or is missing): install the iptables package")
        }
        return choice
    }

    func save(_ backend: CaptureBackend, _ family: IPFamily) throws(CaptureError) -> SavedRuleset {
        let program = try program(backend, family, .save)
        let result = try execute(program, [])
        guard result.status == 0 else { throw failure(program, result, family: family) }
        return SavedRuleset(parsing: result.stdout)
    }

    /// Returns the program's name, for what init prints.
    @discardableResult
    func restore(_ backend: CaptureBackend, _ family: IPFamily, _ script: String) throws(CaptureError) -> String {
        let program = try program(backend, family, .restore)
        // --wait: the legacy backend serializes writers with a lock file shared by all namespaces.
        let result = try execute(program, ["--noflush", "--wait=10"], stdin: script)
        guard result.status == 0 else { throw failure(program, result, family: family, input: script) }
        return (program as NSString).lastPathComponent
    }

    /// `iptables-nft-restore`, else an unsuffixed `iptables-restore` that reports the same backend.
    func program(_ backend: CaptureBackend, _ family: IPFamily, _ tool: CaptureBackend.Tool) throws(CaptureError) -> String {
        let named = backend.program(family, tool)
        if let path = executable(named) { return path }
        let plain = backend.unsuffixedProgram(family, tool)
        if let path = executable(plain), let version = try? execute(path, ["--version"]), backend.matchesVersion(version.stdout + version.stderr) {
            return path
        }
        throw ProgramSearch.missing([named, plain], backend: backend, family: family, path: path)
    }

    private func executable(_ name: String) -> String? {
        ProgramSearch.candidates(name, path: path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func failure(_ program: String, _ result: Output, family: IPFamily, input: String? = nil) -> CaptureError {
        let name = (program as NSString).lastPathComponent
        let said = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        var hint = ""
        if said.localizedCaseInsensitiveContains("permission denied") {
            hint = " — causeway init needs CAP_NET_ADMIN (and CAP_NET_RAW for legacy): run it as root"
        } else if family == .ipv6 {
            hint = " — if this pod has no IPv6 (or the kernel lacks ip6tables' nat table), pass --no-ipv6"
        }
        let shown = input.map { "\ninput was:\n\($0)" } ?? ""
        return CaptureError(.commandFailed, "\(name) exited with status \(result.status): \(said)\(hint)\(shown)")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `path` to completion; both pipes are drained concurrently so a large ruleset cannot
    /// block the child on a full pipe.
    private func execute(_ path: String, _ arguments: [String], stdin: String? = nil) throws(CaptureError) -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CaptureError(.toolMissing, "cannot run \(path): \(error)")
        }
        let stdout = PipeDrain(output.fileHandleForReading)
        let stderr = PipeDrain(errors.fileHandleForReading)
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: stdout.text(), stderr: stderr.text())
    }
}

/// Reads a pipe to its end on another thread.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Waits for the end of the pipe; the semaphore orders the write above before this read.
    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
