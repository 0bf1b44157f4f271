import NIOCore
import NIOHTTP1

/// Reads a backend's HTTP/1.1 responses from bytes (RFC 9112), for the one request at a time the
/// proxy sends on a connection.
///
/// It replaces NIO's llhttp-based decoder on the upstream side: that decoder needs a handler
/// that watches every outbound request part for the method (a HEAD response has no body), hands
/// each part through the pipeline boxed, and calls back per header fragment. Here the codec that
/// writes the request tells the parser its method, and a head that arrives whole (the common
/// case) is read in one pass over the bytes (`HTTP1HeadReader`'s rules). A response with both
/// Transfer-Encoding and Content-Length is refused, as llhttp does, rather than forwarded with
/// one of them removed (RFC 9112 §6.3).
struct HTTP1ResponseParser {
    let maxHeadBytes: Int
    private var body: HTTP1BodyReader?
    /// The method of the oldest request written and not yet answered; the proxy sends one at a
    /// time, and `laterMethods` holds any sent behind it.
    private var method: HTTPMethod?
    private var laterMethods: [HTTPMethod] = []

    init(maxHeadBytes: Int = 64 * 1024) {
        self.maxHeadBytes = maxHeadBytes
    }

    mutating func requestSent(_ method: HTTPMethod) {
        if self.method == nil { self.method = method } else { laterMethods.append(method) }
    }

    /// The next complete part `buffer` holds (moving its reader index past it), or nil when more
    /// bytes are needed; the bytes of an incomplete line or head stay unread.
    mutating func next(_ buffer: inout ByteBuffer) throws -> HTTPClientResponsePart? {
        guard body != nil else { return try parseHead(&buffer) }
        switch try body!.next(&buffer) {
        case .data(let data): return .body(data)
        case .end(let trailers):
            answered()
            return .end(trailers)
        case nil: return nil
        }
    }

    /// The connection closed: a body delimited by the close ends here (its `.end`); a body cut
    /// short is an error. Before a head, there is nothing to say here: the codec knows whether
    /// part of one had arrived, and a request never answered is the connection's close to report.
    mutating func connectionClosed() throws -> HTTPClientResponsePart? {
        guard body != nil, case .end(let trailers) = try body!.connectionClosed() else { return nil }
        answered()
        return .end(trailers)
    }

    private mutating func answered() {
        method = laterMethods.isEmpty ? nil : laterMethods.removeFirst()
        body = nil
    }

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws -> HTTPClientResponsePart? {
        guard let headLength = buffer.withUnsafeReadableBytes({ HTTP1HeadReader.completeLength(in: $0) }) else {
            if buffer.readableBytes > maxHeadBytes { throw HTTP1ParseError.headTooLarge }
            return nil
        }
        if headLength > maxHeadBytes { throw HTTP1ParseError.headTooLarge }
        guard let method else { throw HTTP1ParseError.unexpectedResponse }
        let (head, fields) = try buffer.withUnsafeReadableBytes { bytes in
            var reader = HTTP1HeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<headLength]))
            let (version, status) = try reader.readStatusLine()
            let fields = try reader.readFields()
            return (HTTPResponseHead(version: version, status: status, headers: fields.headers), fields)
        }
        buffer.moveReaderIndex(forwardBy: headLength)
        let status = head.status.code
        if status < 200 {
            // Interim: the final response to the same request follows. A 101 would switch
            // protocols, which the proxy never asks for (it does not forward Upgrade).
            if status == 101 { throw HTTP1ParseError.malformed("101 Switching Protocols without an upgrade request") }
            return .head(head)
        }
        var framing = HTTP1BodyReader.Framing.none
        if method != .HEAD && status != 204 && status != 304 {
            // Without a length or a coding, a response's body ends with the connection (RFC 9112 §6.3).
            framing = try fields.bodyFraming(isRequest: false) ?? .untilClose
        }
        body = HTTP1BodyReader(framing, maxTrailerBytes: maxHeadBytes, maxTrailerFields: .max)
        return .head(head)
    }
}
