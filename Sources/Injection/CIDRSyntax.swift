import KubeModel

/// IPv4 and IPv6 CIDRs (`10.0.0.0/8`, `fd00::/8`, `::ffff:10.0.0.0/104`), checked here so a
/// typo is refused at admission with the annotation's name instead of failing `iptables` inside
/// the pod's init container, where only `kubectl logs` would show it.
enum CIDRSyntax {
    static func isValid(_ text: Substring) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = prefixLength(parts[1]), let address = IPAddressSyntax.parse(parts[0]) else { return false }
        return bits <= address.count * 8
    }

    private static func prefixLength(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }
}
