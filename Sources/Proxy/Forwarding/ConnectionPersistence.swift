import NIOHTTP1

/// Whether a connection stays open after a message (RFC 9112 §9.3): HTTP/1.1 unless `Connection`
/// lists `close`; HTTP/1.0 only when it lists `keep-alive`.
///
/// `HTTPHead.isKeepAlive` answers the same, but for fields NIO's decoder did not build it splits
/// every field value into arrays to find `Connection` — four allocations a message. The proxy's
/// own parsers build the fields, so it asks here instead, in one pass that allocates nothing.
enum ConnectionPersistence {
    static func persists(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        var close = false
        var keepAlive = false
        headers.forEachField { name, value in
            guard name.isHeaderName("connection") else { return }
            HopByHopHeaders.forEachListElement(of: value) { token in
                if token.isToken("close") {
                    close = true
                } else if token.isToken("keep-alive") {
                    keepAlive = true
                }
            }
        }
        return persists(version: version, close: close, keepAlive: keepAlive)
    }

    static func persists(version: HTTPVersion, close: Bool, keepAlive: Bool) -> Bool {
        if close { return false }
        return version.major > 1 || (version.major == 1 && version.minor >= 1) || keepAlive
    }
}
