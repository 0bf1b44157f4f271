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
        guard let bytes = parts[0].contains(":") ? Self.parseIPv6(parts[0]) : Self.parseIPv4(parts[0]) else { return nil }
        let maximum = bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let value = Self.decimal(parts[1], maximum: maximum) else { return nil }
            length = value
        }
        self.init(address: bytes, length: length)
    }

    public var description: String {
        let text = family == .ipv4 ? address.map(String.init).joined(separator: ".") : Self.formatIPv6(address)
        return "\(text)/\(length)"
    }

    /// Digits only, no sign and no leading zeros (which some parsers read as octal).
    private static func decimal(_ text: Substring, maximum: Int) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy(\.isASCIIDigit), text == "0" || !text.hasPrefix("0"),
              let value = Int(text), value <= maximum else { return nil }
        return value
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let value = decimal(part, maximum: 255) else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    /// Eight groups of up to four hex digits, one `::` for a run of zero groups, and an optional
    /// dotted IPv4 tail (`::ffff:10.0.0.1`).
    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if allowIPv4Tail, index == fields.count - 1, field.contains(".") {
                    guard let bytes = parseIPv4(field) else { return nil }
                    result += [UInt16(bytes[0]) << 8 | UInt16(bytes[1]), UInt16(bytes[2]) << 8 | UInt16(bytes[3])]
                } else {
                    guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit), let value = UInt16(field, radix: 16) else { return nil }
                    result.append(value)
                }
            }
            return result
        }
        var words: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            words = all
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// RFC 5952: lower-case hex without leading zeros; the longest run of two or more zero groups
    /// (the first, on a tie) becomes `::`.
    private static func formatIPv6(_ bytes: [UInt8]) -> String {
        let words = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best = (start: -1, count: 0)
        var index = 0
        while index < 8 {
            guard words[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8, words[end] == 0 { end += 1 }
            if end - index > best.count, end - index >= 2 { best = (index, end - index) }
            index = end
        }
        let hex = words.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.count)...].joined(separator: ":")
        return "\(head)::\(tail)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
