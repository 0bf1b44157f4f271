import KubeModel

/// discovery.k8s.io/v1 EndpointSlice rules of the real API server that clients notice: addresses
/// must match the slice's address type, and may not be loopback or link-local — those would
/// point every node's proxy at itself.
public enum EndpointSliceValidation {
    public static func validate(_ slice: JSONValue, allowLoopback: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let type = slice["addressType"]?.stringValue ?? ""
        if !["IPv4", "IPv6", "FQDN"].contains(type) {
            errors.append(.notSupported("addressType", slice["addressType"], supported: ["FQDN", "IPv4", "IPv6"]))
        }
        for (i, endpoint) in (slice["endpoints"]?.arrayValue ?? []).enumerated() {
            for (j, address) in (endpoint["addresses"]?.arrayValue ?? []).enumerated() {
                let field = "endpoints[\(i)].addresses[\(j)]"
                guard let text = address.stringValue else { continue }
                switch type {
                case "IPv4":
                    guard let octets = ipv4(text) else {
                        errors.append(.invalid(field, address, "must be a valid IPv4 address"))
                        continue
                    }
                    if octets[0] == 127, !allowLoopback {
                        errors.append(.invalid(field, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
                    } else if octets[0] == 169, octets[1] == 254 {
                        errors.append(.invalid(field, address, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
                    }
                case "IPv6":
                    let lower = text.lowercased()
                    guard lower.contains(":"), lower.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                        errors.append(.invalid(field, address, "must be a valid IPv6 address"))
                        continue
                    }
                    if lower == "::1" || lower == "0:0:0:0:0:0:0:1", !allowLoopback {
                        errors.append(.invalid(field, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
                    } else if lower.hasPrefix("fe8") || lower.hasPrefix("fe9") || lower.hasPrefix("fea") || lower.hasPrefix("feb") {
                        errors.append(.invalid(field, address, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
                    }
                default:
                    break
                }
            }
        }
        return errors
    }

    private static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isNumber), let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        return octets
    }
}
