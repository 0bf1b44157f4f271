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
        var named: [Substring] = []
        var declaresLength = false
        var declaresChunked = false
        var bound = 9 + 21 + head.status.reasonPhrase.utf8.count + 2 + 30 + 2
        head.headers.forEachField { name, value in
            bound += name.utf8.count + value.utf8.count + 4
            if name.isHeaderName("content-length") {
                declaresLength = true
            } else if name.isHeaderName("transfer-encoding") {
                declaresChunked = !stripHopByHop
            } else if stripHopByHop, name.isHeaderName("connection") {
                HopByHopHeaders.forEachListElement(of: value) { token in
                    if !token.isToken("close"), !token.isToken("keep-alive") { named.append(token) }
                }
            }
        }
        // A length the backend's `Connection` names is dropped with it: the body is then framed anew.
        if declaresLength, named.contains(where: { $0.isToken("content-length") }) { declaresLength = false }
        if let connection { bound += 14 + connection.utf8.count }
        // Stripped, a backend's Transfer-Encoding no longer frames the body: what we add does.
        let addsChunked = !bodyless && !declaresChunked && !declaresLength && version == .http1_1
        chunked = !bodyless && (declaresChunked || addsChunked)
        // One reservation and one write: a ByteBuffer write per piece (four per field) costs more
        // in bounds and uniqueness checks than the copying does.
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { [named] raw in
            var out = HTTP1HeadWriter(raw)
            out.put(version == .http1_0 ? "HTTP/1.0 " : "HTTP/1.1 ")
            out.putDecimal(Int(code))
            out.put(" ")
            out.put(head.status.reasonPhrase)
            out.put("\r\n")
            head.headers.forEachField { name, value in
                if stripHopByHop, HopByHopHeaders.isHopByHop(name) || named.contains(where: { name.isHeaderName(lowercasing: $0) }) {
                    return
                }
                out.putField(name, value)
            }
            if let connection {
                out.put("connection: ")
                out.put(connection)
                out.put("\r\n")
            }
            if addsChunked { out.put("transfer-encoding: chunked\r\n") }
            out.put("\r\n")
            return out.count
        }
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
        HTTP1Chunk.writeSize(body.readableBytes, into: &buffer)
    }

    /// The end of the body: the last chunk and trailers when chunked; nothing otherwise.
    func encodeEnd(trailers: HTTPHeaders?, into buffer: inout ByteBuffer) -> Bool {
        guard chunked, !bodyless else { return false }
        HTTP1Chunk.writeLast(trailers: trailers, into: &buffer)
        return true
    }
}
