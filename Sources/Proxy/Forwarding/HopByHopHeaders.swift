import NIOHTTP1

/// Connection-scoped headers (RFC 9110 §7.6.1) that a proxy must not forward.
enum HopByHopHeaders {
    static let fixed: [String] = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

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
            guard let index = fixed.firstIndex(where: { name.isHeaderName($0) }) else { continue }
            present |= 1 << index
            if index == 0 {
                // Connection's tokens name further headers to drop (RFC 9110 §7.6.1).
                for token in value.split(separator: ",") {
                    let trimmed = token.trimmingSpaces
                    if !trimmed.isEmpty, !trimmed.isToken("close"), !trimmed.isToken("keep-alive") { named.append(String(trimmed)) }
                }
            } else if index == 5, keepTrailersTE {
                teTrailers = teTrailers || value.split(separator: ",").contains { $0.trimmingSpaces.isToken("trailers") }
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
