import NIOCore
import NIOHTTP1

/// Reads a client's HTTP/1.1 requests from bytes (RFC 9112), one after another as they are
/// pipelined. It replaces NIO's llhttp-based decoder: a head that arrives whole (the common
/// case) is read in one pass, with `HTTP1HeadReader`'s strict rules, instead of a callback per
/// header fragment.
///
/// The request framing rules that stop smuggling (RFC 9112 §6.1, §6.3): Transfer-Encoding
/// whose final coding is not chunked is refused, and so is a request with both
/// Transfer-Encoding and Content-Length (as llhttp does) — an intermediary must not guess which
/// one the next hop will believe. Whatever else the proxy refuses about a head (Host, limits,
/// `Expect`) is `RequestHeadValidator`'s to answer, with the connection kept where it can be.
struct HTTP1RequestParser {
    /// Room for the request line on top of the configured header bytes, which count fields only.
    static let requestLineAllowance = 16 * 1024

    let maxHeadBytes: Int
    let maxFields: Int
    private var body: HTTP1BodyReader?

    init(maxHeaderBytes: Int, maxFields: Int) {
        self.maxHeadBytes = maxHeaderBytes + Self.requestLineAllowance
        self.maxFields = maxFields
    }

    /// The next complete part `buffer` holds (moving its reader index past it), or nil when more
    /// bytes are needed; the bytes of an incomplete line or head stay unread.
    mutating func next(_ buffer: inout ByteBuffer) throws -> HTTPServerRequestPart? {
        guard body != nil else { return try parseHead(&buffer) }
        switch try body!.next(&buffer) {
        case .data(let data): return .body(data)
        case .end(let trailers):
            body = nil
            return .end(trailers)
        case nil: return nil
        }
    }

    private mutating func parseHead(_ buffer: inout ByteBuffer) throws -> HTTPServerRequestPart? {
        // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send one
        // after a body.
        while buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
            buffer.moveReaderIndex(forwardBy: 2)
        }
        guard let headLength = buffer.withUnsafeReadableBytes({ HTTP1HeadReader.completeLength(in: $0) }) else {
            if buffer.readableBytes > maxHeadBytes { throw HTTP1ParseError.headTooLarge }
            return nil
        }
        if headLength > maxHeadBytes { throw HTTP1ParseError.headTooLarge }
        let maxFields = self.maxFields
        let (head, fields) = try buffer.withUnsafeReadableBytes { bytes in
            var reader = HTTP1HeadReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<headLength]), maxFields: maxFields)
            let (method, target, version) = try reader.readRequestLine()
            let fields = try reader.readFields()
            return (HTTPRequestHead(version: version, method: method, uri: target, headers: fields.headers), fields)
        }
        buffer.moveReaderIndex(forwardBy: headLength)
        let framing = try fields.bodyFraming(isRequest: true) ?? .none
        body = HTTP1BodyReader(framing, maxTrailerBytes: maxHeadBytes, maxTrailerFields: maxFields)
        return .head(head)
    }
}
