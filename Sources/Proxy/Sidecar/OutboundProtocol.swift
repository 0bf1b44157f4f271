import NIOCore

/// What a sidecar's outbound port sees: HTTP (an HTTP/1 request line or the HTTP/2 preface) is
/// routed, anything else relayed as TCP.
enum OutboundProtocol {
    case http, tcp

    private static let prefixes: [[UInt8]] = ["GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ",
                                              "PRI * HTTP/2.0"].map { Array($0.utf8) }

    /// HTTP once the bytes start with a method and a space (or the preface); TCP as soon as they
    /// cannot; nil while they are still a prefix of one.
    static func decide(_ buffer: ByteBuffer) -> OutboundProtocol? {
        let view = buffer.readableBytesView
        var undecided = false
        for prefix in prefixes {
            let count = min(view.count, prefix.count)
            guard view.prefix(count).elementsEqual(prefix.prefix(count)) else { continue }
            if count == prefix.count { return .http }
            undecided = true
        }
        return undecided ? nil : .tcp
    }
}
