/// The two kernel interfaces iptables can drive. Both can hold rules in one network namespace at
/// once and the kernel runs both, so init writes to one and keeps the other free of Causeway.
public enum CaptureBackend: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// nf_tables, through iptables-nft (the default of current distributions).
    case nft
    /// x_tables, through iptables-legacy.
    case legacy

    public var description: String { rawValue }

    /// `iptables-nft-restore`, `ip6tables-legacy-save`, ...
    public func program(_ family: IPFamily, _ tool: Tool) -> String { "\(family.programStem)-\(rawValue)-\(tool.rawValue)" }

    /// The same program without the backend in its name (`iptables-restore`), which older or
    /// minimal distributions ship alone; usable when its `--version` names this backend.
    public func unsuffixedProgram(_ family: IPFamily, _ tool: Tool) -> String { "\(family.programStem)-\(tool.rawValue)" }

    /// Whether a `--version` line (`iptables-restore v1.8.9 (nf_tables)`) is this backend's.
    /// iptables before 1.8 knew only x_tables and does not say so.
    public func matchesVersion(_ line: String) -> Bool { line.contains("nf_tables") == (self == .nft) }

    /// The legacy backend talks to the kernel through a raw socket and needs CAP_NET_RAW too.
    public var capabilities: [Capability] { self == .nft ? [.netAdmin] : [.netAdmin, .netRaw] }

    public enum Tool: String, Sendable { case save, restore }

    /// What `--backend` accepts.
    public enum Selection: String, Sendable, CaseIterable {
        case auto, nft, legacy
    }

    /// How a backend looks in this namespace: whether its save program runs, and how many rules
    /// it holds (both families).
    public struct Probe: Sendable, Hashable {
        public var backend: CaptureBackend
        public var works: Bool
        public var rules: Int

        public init(_ backend: CaptureBackend, works: Bool, rules: Int) {
            self.backend = backend
            self.works = works
            self.rules = rules
        }
    }

    /// `--backend auto`: the backend the namespace already uses (the one holding more rules, so
    /// that Causeway's rules sit beside a CNI's or kube-proxy's and an earlier init's), else nft
    /// if it works, else legacy. nil when neither works. The reason is printed.
    public static func choose(_ probes: [Probe]) -> (backend: CaptureBackend, reason: String)? {
        let working = probes.filter(\.works)
        let counts = probes.map { "\($0.backend) \($0.works ? "\($0.rules) rules" : "unusable")" }.joined(separator: ", ")
        if let busiest = working.max(by: { ($0.rules, $0.backend == .nft ? 1 : 0) < ($1.rules, $1.backend == .nft ? 1 : 0) }),
           busiest.rules > 0 {
            return (busiest.backend, "the namespace already uses it (\(counts))")
        }
        if let nft = working.first(where: { $0.backend == .nft }) { return (nft.backend, "no rules yet and nft works (\(counts))") }
        if let legacy = working.first { return (legacy.backend, "no rules yet and nft does not work (\(counts))") }
        return nil
    }
}
