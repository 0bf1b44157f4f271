import NIOCore

/// On a cleartext listener, HTTP/2 with prior knowledge (h2c, e.g. gRPC clients) is told from
/// HTTP/1.1 by the first bytes: the HTTP/2 connection preface starts with `PRI * HTTP/2.0`.
enum CleartextHTTPVersion {
    case http1, http2

    private static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// HTTP/1 at the first byte that leaves the preface, HTTP/2 once all of it arrived.
    static func decide(_ buffer: ByteBuffer) -> CleartextHTTPVersion? {
        let view = buffer.readableBytesView
        let count = min(view.count, preface.count)
        for (offset, byte) in view.prefix(count).enumerated() where byte != preface[offset] {
            return .http1
        }
        return count == preface.count ? .http2 : nil
    }
}
