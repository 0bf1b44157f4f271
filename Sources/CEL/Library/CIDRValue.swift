import KubeModel

/// An IP prefix as Kubernetes' CEL CIDR library reads it (Go's `netip.ParsePrefix`).
struct CIDRValue: CELOpaqueValue, Hashable, CustomStringConvertible {
    let address: IPAddress
    let prefixLength: Int

    var typeName: String { "net.CIDR" }

    func isEqual(to other: any CELOpaqueValue) -> Bool {
        (other as? CIDRValue) == self
    }

    static func parse(_ text: String) -> Result<CIDRValue, CELError> {
        guard let slash = text.lastIndex(of: "/") else {
            return .failure(CELError("network address parse error during conversion from string: netip.ParsePrefix(\(GoQuote.quote(text))): no '/'"))
        }
        let lengthText = text[text.index(after: slash)...]
        let address: IPAddress
        switch IPAddress.parse(String(text[..<slash])) {
        case .success(let parsed): address = parsed
        case .failure(let error): return .failure(error)
        }
        guard let length = IPAddressSyntax.decimal(lengthText, maximum: address.bytes.count * 8) else {
            return .failure(CELError("network address parse error during conversion from string: netip.ParsePrefix(\(GoQuote.quote(text))): bad bits after slash: \(GoQuote.quote(String(lengthText)))"))
        }
        return .success(CIDRValue(address: address, prefixLength: length))
    }

    var description: String { "\(address)/\(prefixLength)" }

    var masked: CIDRValue {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                bytes[index] = 0
            } else if prefixLength - bitsBefore < 8 {
                bytes[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - (prefixLength - bitsBefore)))
            }
        }
        return CIDRValue(address: IPAddress(bytes: bytes), prefixLength: prefixLength)
    }

    func contains(_ ip: IPAddress) -> Bool {
        guard ip.family == address.family else { return false }
        return CIDRValue(address: ip, prefixLength: prefixLength).masked.address == masked.address
    }

    func contains(_ other: CIDRValue) -> Bool {
        other.address.family == address.family && other.prefixLength >= prefixLength && contains(other.address)
    }
}
