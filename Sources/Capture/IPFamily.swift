/// IPv4 or IPv6: each has its own iptables program (iptables / ip6tables) and its own rules.
public enum IPFamily: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ipv4, ipv6

    public var description: String { self == .ipv4 ? "IPv4" : "IPv6" }

    /// The loopback range, never captured.
    public var loopback: IPPrefix {
        self == .ipv4 ? IPPrefix(address: [127, 0, 0, 0], length: 8) : IPPrefix(address: Array(repeating: 0, count: 15) + [1], length: 128)
    }

    /// `iptables` or `ip6tables`, the stem of every program name of this family.
    public var programStem: String { self == .ipv4 ? "iptables" : "ip6tables" }
}
