import NIOHTTP1

/// Connection-scoped headers (RFC 9110 §7.6.1) that a proxy must not forward.
enum HopByHopHeaders {
    static let fixed: [String] = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The position of `name` in `fixed`, by length first: most header names are compared with
    /// none or one of them.
    static func isHopByHop(_ name: String) -> Bool { index(of: name) != nil }

    private static func index(of name: String) -> Int? {
        switch name.utf8.count {
        case 2: return name.isHeaderName("te") ? 5 : nil
        case 7: return name.isHeaderName("trailer") ? 6 : name.isHeaderName("upgrade") ? 8 : nil
        case 10: return name.isHeaderName("connection") ? 0 : name.isHeaderName("keep-alive") ? 1 : nil
        case 16: return name.isHeaderName("proxy-connection") ? 2 : nil
        case 17: return name.isHeaderName("transfer-encoding") ? 7 : nil
        case 18: return name.isHeaderName("proxy-authenticate") ? 3 : nil
        case 19: return name.isHeaderName("proxy-authorization") ? 4 : nil
        default: return nil
        }
    }

    /// Calls `body` with each non-empty element of a comma-separated list value, trimmed, without
    /// building an array of them.
    static func forEachListElement(of value: String, _ body: (Substring) -> Void) {
        var rest = Substring(value)
        while !rest.isEmpty {
            let comma = rest.utf8.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            let element = rest[..<comma].trimmingSpaces
            if !element.isEmpty { body(element) }
            rest = comma == rest.endIndex ? rest[rest.endIndex...] : rest[rest.utf8.index(after: comma)...]
        }
    }

    /// Removes hop-by-hop headers, including those the `Connection` header names.
    /// `TE: trailers` survives (gRPC needs it end to end) when `keepTrailersTE` is set.
    ///
    /// One pass finds which of them are present; most messages carry none but `Connection`, so
    /// the common case removes one name instead of scanning the block once per name.
    static func strip(_ headers: inout HTTPHeaders, keepTrailersTE: Bool) {
        var present: UInt16 = 0
        var named: [String] = []
        var teTrailers = false
        for (name, value) in headers {
            guard let index = Self.index(of: name) else { continue }
            present |= 1 << index
            if index == 0 {
                // Connection's tokens name further headers to drop (RFC 9110 §7.6.1).
                Self.forEachListElement(of: value) { token in
                    if !token.isToken("close"), !token.isToken("keep-alive") { named.append(String(token)) }
                }
            } else if index == 5, keepTrailersTE {
                Self.forEachListElement(of: value) { token in teTrailers = teTrailers || token.isToken("trailers") }
            }
        }
        guard present != 0 else { return }
        for (index, name) in fixed.enumerated() where present & (1 << index) != 0 {
            headers.remove(name: name)
        }
        for name in named { headers.remove(name: name) }
        if teTrailers {
            headers.add(name: "te", value: "trailers")
        }
    }
}

extension Substring {
    /// Without the optional whitespace (SP, HTAB) around a list element.
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.utf8.first, first == 0x20 || first == 0x09 { result = result.dropFirst() }
        while let last = result.utf8.last, last == 0x20 || last == 0x09 { result = result.dropLast() }
        return result
    }
}
