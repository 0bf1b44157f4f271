import NIOCore
import NIOHTTP1

/// Serializes responses for an HTTP/1.x client straight into bytes, so a response part goes from
/// the request handler to the socket without another handler or a boxed message in between.
///
/// Framing is decided from the head: a `Content-Length` is kept; a body of unknown length is
/// chunked for a 1.1 client (a 1.0 client's response is close-delimited: the handler has already
/// said `Connection: close`); responses to HEAD and 1xx/204/304 responses carry no body. Header
/// names and values come from the decoder (backend responses) or from validated config, so they
/// are written as they are.
struct HTTP1ResponseEncoder {
    private var chunked = false
    private var bodyless = false

    /// Writes a head the proxy built (local answers) or already edited, as it is.
    mutating func encodeHead(_ head: HTTPResponseHead, requestIsHead: Bool, into buffer: inout ByteBuffer) {
        encode(head, version: head.version, connection: nil, stripHopByHop: false, requestIsHead: requestIsHead, into: &buffer)
    }

    /// Writes a backend's head without editing it: its hop-by-hop fields (RFC 9110 §7.6.1, and
    /// those its `Connection` names) are skipped as they are written, and `connection` is added.
    /// Editing the decoded head instead would copy its header list on every response.
    mutating func encodeForwardedHead(
        _ head: HTTPResponseHead, version: HTTPVersion, connection: String?, requestIsHead: Bool, into buffer: inout ByteBuffer
    ) {
        encode(head, version: version, connection: connection, stripHopByHop: true, requestIsHead: requestIsHead, into: &buffer)
    }

    private mutating func encode(
        _ head: HTTPResponseHead, version: HTTPVersion, connection: String?, stripHopByHop: Bool, requestIsHead: Bool,
        into buffer: inout ByteBuffer
    ) {
        let code = head.status.code
        bodyless = requestIsHead || code < 200 || code == 204 || code == 304
        var declaresLength = false
        var declaresChunked = false
        var named: [Substring] = []
        if stripHopByHop {
            for (name, value) in head.headers where name.isHeaderName("connection") {
                HopByHopHeaders.forEachListElement(of: value) { token in
                    if !token.isToken("close"), !token.isToken("keep-alive") { named.append(token) }
                }
            }
        }
        buffer.writeStaticString(version == .http1_0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        Self.writeDecimal(Int(code), into: &buffer)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in head.headers {
            if stripHopByHop, HopByHopHeaders.isHopByHop(name) || named.contains(where: { name.isHeaderName(lowercasing: $0) }) {
                continue
            }
            if name.isHeaderName("content-length") {
                declaresLength = true
            } else if name.isHeaderName("transfer-encoding") {
                declaresChunked = true
            }
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if let connection {
            buffer.writeStaticString("connection: ")
            buffer.writeString(connection)
            buffer.writeStaticString("\r\n")
        }
        chunked = false
        if !bodyless {
            if declaresChunked {
                chunked = true
            } else if !declaresLength && version == .http1_1 {
                buffer.writeStaticString("transfer-encoding: chunked\r\n")
                chunked = true
            }
        }
        buffer.writeStaticString("\r\n")
    }

    /// The interim `100 Continue`.
    static func encodeContinue(version: HTTPVersion, into buffer: inout ByteBuffer) {
        buffer.writeStaticString(version == .http1_0 ? "HTTP/1.0 100 Continue\r\n\r\n" : "HTTP/1.1 100 Continue\r\n\r\n")
    }

    enum BodyFraming: Equatable {
        case skip
        case asIs
        /// The data goes out as one chunk: `writeChunkSize` before it, CRLF after it.
        case chunk
    }

    /// How one body part is written: not at all for a bodyless response (or an empty part), as
    /// is when the length is declared or the body is close-delimited, as a chunk otherwise.
    func bodyFraming(for body: ByteBuffer) -> BodyFraming {
        if bodyless || body.readableBytes == 0 { return .skip }
        return chunked ? .chunk : .asIs
    }

    func writeChunkSize(of body: ByteBuffer, into buffer: inout ByteBuffer) {
        Self.writeHex(body.readableBytes, into: &buffer)
        buffer.writeStaticString("\r\n")
    }

    /// The end of the body: the last chunk and trailers when chunked; nothing otherwise.
    func encodeEnd(trailers: HTTPHeaders?, into buffer: inout ByteBuffer) -> Bool {
        guard chunked, !bodyless else { return false }
        buffer.writeStaticString("0\r\n")
        for (name, value) in trailers ?? [:] {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return true
    }

    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        var divisor = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    private static func writeHex(_ value: Int, into buffer: inout ByteBuffer) {
        var shift = (Int.bitWidth - value.leadingZeroBitCount - 1) / 4 * 4
        if value == 0 { shift = 0 }
        while shift >= 0 {
            let nibble = UInt8((value >> shift) & 0xF)
            buffer.writeInteger(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            shift -= 4
        }
    }
}
