import NIOHTTP1

/// Requests in absolute form (`GET http://api.example.com/v1 HTTP/1.1`, RFC 9112 §3.2.2) are
/// served like their origin form: the target's authority replaces the Host header, which the
/// RFC says to ignore in that case, and the path (with query) becomes the request target.
enum AbsoluteForm {
    static func originForm(of head: HTTPRequestHead) -> HTTPRequestHead {
        let uri = head.uri.utf8
        guard let first = uri.first, first == UInt8(ascii: "h") || first == UInt8(ascii: "H"),
              let schemeEnd = head.uri.range(of: "://") else { return head }
        let scheme = head.uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return head }
        let rest = head.uri[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = String(rest[..<pathStart])
        guard !authority.isEmpty, !authority.contains("@") else { return head }
        var origin = head
        let path = rest[pathStart...]
        origin.uri = path.isEmpty ? "/" : (path.first == "?" ? "/" + path : String(path))
        origin.headers.replaceOrAdd(name: "host", value: authority)
        return origin
    }
}
