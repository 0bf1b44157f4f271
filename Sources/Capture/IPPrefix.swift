import KubeModel

/// An address range such as `10.0.0.0/8` or `fd00::/8`, parsed without Foundation and printed
/// the way iptables-save prints it (host bits cleared, IPv6 in RFC 5952 form), so that rules read
/// back from the kernel compare equal to the rules written.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6), host bits cleared.
    public let address: [UInt8]
    public let length: Int

    public var family: IPFamily { address.count == 4 ? .ipv4 : .ipv6 }

    init(address: [UInt8], length: Int) {
        var masked = address
        for index in masked.indices {
            let kept = max(0, min(8, length - index * 8))
            masked[index] &= kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
        self.address = masked
        self.length = length
    }

    /// `ADDRESS` or `ADDRESS/LENGTH`; a bare address is a single host (/32 or /128).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = IPAddressSyntax.parse(parts[0]) else { return nil }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let value = IPAddressSyntax.decimal(parts[1], maximum: maximum) else { return nil }
            length = value
        }
        self.init(address: bytes, length: length)
    }

    public var description: String {
        let text = IPAddressSyntax.format(address)
        return "\(text)/\(length)"
    }
}
