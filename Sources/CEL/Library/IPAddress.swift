import KubeModel

/// An IPv4 or IPv6 address as Kubernetes' CEL IP library reads it (Go's `netip.ParseAddr`, see
/// IPAddressSyntax), without zones or IPv4-mapped IPv6 forms, which it refuses.
struct IPAddress: CELOpaqueValue, Hashable, CustomStringConvertible {
    /// 4 or 16 bytes.
    let bytes: [UInt8]

    var typeName: String { "net.IP" }
    var family: Int { bytes.count == 4 ? 4 : 6 }

    func isEqual(to other: any CELOpaqueValue) -> Bool {
        (other as? IPAddress) == self
    }

    /// Parses, or says why not (the reason cel-go reports).
    static func parse(_ text: String) -> Result<IPAddress, CELError> {
        if text.contains("%") {
            return .failure(CELError("IP address with zone value is not allowed"))
        }
        guard let bytes = IPAddressSyntax.parse(Substring(text)) else {
            return .failure(CELError("ParseAddr(\(GoQuote.quote(text))): unable to parse IP"))
        }
        if bytes.count == 16 && bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return .failure(CELError("IPv4-mapped IPv6 address is not allowed"))
        }
        return .success(IPAddress(bytes: bytes))
    }

    var description: String { IPAddressSyntax.format(bytes) }

    var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    var isLoopback: Bool { family == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }
    var isLinkLocalMulticast: Bool {
        family == 4 ? bytes[0] == 224 && bytes[1] == 0 && bytes[2] == 0 : bytes[0] == 0xFF && bytes[1] & 0x0F == 0x02
    }
    var isLinkLocalUnicast: Bool {
        family == 4 ? bytes[0] == 169 && bytes[1] == 254 : bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
    }
    var isMulticast: Bool { family == 4 ? bytes[0] & 0xF0 == 0xE0 : bytes[0] == 0xFF }
    /// As Go's `netip.Addr.IsGlobalUnicast`.
    var isGlobalUnicast: Bool {
        if family == 4 && bytes == [255, 255, 255, 255] { return false }
        return !isUnspecified && !isLoopback && !isMulticast && !isLinkLocalUnicast
    }
}
