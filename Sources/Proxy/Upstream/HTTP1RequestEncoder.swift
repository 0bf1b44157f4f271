import NIOCore
import NIOHTTP1

/// Serializes the requests the proxy sends a backend over HTTP/1.1 straight into bytes.
///
/// Framing follows NIO's request encoder, which this replaces, so backends see what they saw
/// before: a `Content-Length` frames the body and any `Transfer-Encoding` is dropped; POST, PUT
/// and PATCH without a length go chunked; other methods are chunked only when the head says so
/// (the proxy adds `transfer-encoding: chunked` when the client's body was chunked); TRACE has
/// no body. Names and values come from the downstream decoder or from validated config.
struct HTTP1RequestEncoder {
    private(set) var chunked = false

    /// The head in a buffer of its own, allocated once at the size it needs.
    mutating func encodeHead(_ head: HTTPRequestHead, allocator: ByteBufferAllocator) -> ByteBuffer {
        var declaresLength = false
        var transferEncoding = TransferEncodingField()
        let method = head.method.rawValue
        var bound = method.utf8.count + 1 + head.uri.utf8.count + 11 + 2 + 28
        head.headers.forEachField { name, value in
            bound += name.utf8.count + value.utf8.count + 4
            if name.isHeaderName("content-length") {
                declaresLength = true
            } else if name.isHeaderName("transfer-encoding") {
                transferEncoding.add(value)
            }
        }
        let declaresChunked = transferEncoding.lastIsChunked
        let isTrace = head.method == .TRACE
        let expectsBody = head.method == .POST || head.method == .PUT || head.method == .PATCH
        // A Transfer-Encoding that does not end in chunked is replaced when the body goes chunked.
        let dropsTransferEncoding = declaresLength || isTrace || (expectsBody && transferEncoding.isPresent && !declaresChunked)
        let addsChunked = expectsBody && !declaresLength && !declaresChunked
        chunked = !isTrace && !declaresLength && (expectsBody || declaresChunked)
        var buffer = allocator.buffer(capacity: bound)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw in
            var out = HTTP1HeadWriter(raw)
            out.put(method)
            out.put(" ")
            out.put(head.uri)
            out.put(head.version == .http1_0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
            head.headers.forEachField { name, value in
                if dropsTransferEncoding, name.isHeaderName("transfer-encoding") { return }
                if isTrace, name.isHeaderName("content-length") { return }
                out.putField(name, value)
            }
            if addsChunked { out.put("transfer-encoding: chunked\r\n") }
            out.put("\r\n")
            return out.count
        }
        return buffer
    }
}
