/// IPv4 and IPv6 CIDRs (`10.0.0.0/8`, `fd00::/8`, `::ffff:10.0.0.0/104`), checked here so a
/// typo is refused at admission with the annotation's name instead of failing `iptables` inside
/// the pod's init container, where only `kubectl logs` would show it.
enum CIDRSyntax {
    static func isValid(_ text: Substring) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = prefixLength(parts[1]) else { return false }
        if isIPv4(parts[0]) { return bits <= 32 }
        if isIPv6(parts[0]) { return bits <= 128 }
        return false
    }

    private static func prefixLength(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Dotted quad, four decimal octets 0–255, no leading zeros (Go's parser refuses them as
    /// ambiguous octal, and so do we).
    static func isIPv4(_ text: Substring) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(octet), value <= 255 else { return false }
            return octet == "0" || octet.first != "0"
        }
    }

    /// RFC 4291 text: eight groups of 1–4 hex digits, at most one `::` standing for one or more
    /// zero groups, and optionally a dotted quad as the last 32 bits.
    static func isIPv6(_ text: Substring) -> Bool {
        guard text.contains(":") else { return false }
        let halves = text.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count <= 2, !halves.contains(where: { $0.contains("::") }) else { return false }
        let compressed = halves.count == 2
        var groups = 0
        for (index, half) in halves.enumerated() {
            if half.isEmpty { continue }
            let pieces = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, piece) in pieces.enumerated() {
                let isLastOfAddress = index == halves.count - 1 && position == pieces.count - 1
                if isLastOfAddress, piece.contains(".") {
                    guard isIPv4(piece) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return false }
                    groups += 1
                }
            }
        }
        return compressed ? groups < 8 : groups == 8
    }
}
