import NIOHTTP1

/// Connection-scoped headers (RFC 9110 §7.6.1) that a proxy must not forward.
enum HopByHopHeaders {
    static let fixed: [String] = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Removes hop-by-hop headers, including those the `Connection` header names.
    /// `TE: trailers` survives (gRPC needs it end to end) when `keepTrailersTE` is set.
    static func strip(_ headers: inout HTTPHeaders, keepTrailersTE: Bool) {
        var teTrailers = false
        if keepTrailersTE {
            teTrailers = headers[canonicalForm: "te"].contains { $0.lowercased() == "trailers" }
        }
        for token in headers[canonicalForm: "connection"] {
            headers.remove(name: String(token))
        }
        for name in fixed {
            headers.remove(name: name)
        }
        if teTrailers {
            headers.add(name: "te", value: "trailers")
        }
    }
}
