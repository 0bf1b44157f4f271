import NIOCore
import NIOHTTP1
import Testing

@testable import Proxy

@Suite struct HTTP1ResponseEncoderTests {
    func encode(_ head: HTTPResponseHead, requestIsHead: Bool = false, body: [String] = [], trailers: HTTPHeaders? = nil) -> String {
        var encoder = HTTP1ResponseEncoder()
        var out = ByteBuffer()
        encoder.encodeHead(head, requestIsHead: requestIsHead, into: &out)
        for part in body {
            let data = ByteBuffer(string: part)
            switch encoder.bodyFraming(for: data) {
            case .skip: break
            case .asIs: out.writeImmutableBuffer(data)
            case .chunk:
                encoder.writeChunkSize(of: data, into: &out)
                out.writeImmutableBuffer(data)
                out.writeString("\r\n")
            }
        }
        _ = encoder.encodeEnd(trailers: trailers, into: &out)
        return String(buffer: out)
    }

    @Test func aDeclaredLengthIsKeptAndTheBodyWrittenAsIs() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "5", "x-a": "b"])
        #expect(encode(head, body: ["hello"]) == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n\r\nhello")
    }

    @Test func anUnknownLengthIsChunkedForAnHTTP11Client() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok)
        let body = String(repeating: "z", count: 26)
        #expect(encode(head, body: ["hi", body], trailers: ["grpc-status": "0"])
            == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n1a\r\n\(body)\r\n0\r\ngrpc-status: 0\r\n\r\n")
    }

    @Test func anHTTP10ClientGetsTheBodyUnchunked() {
        let head = HTTPResponseHead(version: .http1_0, status: .ok, headers: ["connection": "close"])
        #expect(encode(head, body: ["a", "b"]) == "HTTP/1.0 200 OK\r\nconnection: close\r\n\r\nab")
    }

    @Test func headAnd204And304CarryNoBody() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "5"])
        #expect(encode(head, requestIsHead: true, body: ["hello"]) == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
        #expect(encode(HTTPResponseHead(version: .http1_1, status: .noContent), body: ["x"]) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(encode(HTTPResponseHead(version: .http1_1, status: .notModified)) == "HTTP/1.1 304 Not Modified\r\n\r\n")
    }

    @Test func aBackendsOwnReasonPhraseIsKept() {
        let head = HTTPResponseHead(version: .http1_1, status: .custom(code: 599, reasonPhrase: "Odd"), headers: ["content-length": "0"])
        #expect(encode(head) == "HTTP/1.1 599 Odd\r\ncontent-length: 0\r\n\r\n")
    }

    @Test func aForwardedHeadLosesItsHopByHopFieldsAsItIsWritten() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: [
            "Connection": "X-Secret, keep-alive", "x-secret": "1", "Keep-Alive": "timeout=5", "transfer-encoding": "chunked",
            "TE": "trailers", "Upgrade": "h2c", "x-ok": "y", "Content-Length": "2",
        ])
        var encoder = HTTP1ResponseEncoder()
        var out = ByteBuffer()
        encoder.encodeForwardedHead(head, version: .http1_0, connection: "keep-alive", requestIsHead: false, into: &out)
        #expect(String(buffer: out) == "HTTP/1.0 200 OK\r\nx-ok: y\r\nContent-Length: 2\r\nconnection: keep-alive\r\n\r\n")
        // The head itself is untouched: nothing was copied to edit it.
        #expect(head.headers.count == 8)
    }

    @Test func aForwardedHeadWithoutALengthIsChunkedForAnHTTP11Client() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["transfer-encoding": "chunked", "x-ok": "y"])
        var encoder = HTTP1ResponseEncoder()
        var out = ByteBuffer()
        encoder.encodeForwardedHead(head, version: .http1_1, connection: nil, requestIsHead: false, into: &out)
        #expect(String(buffer: out) == "HTTP/1.1 200 OK\r\nx-ok: y\r\ntransfer-encoding: chunked\r\n\r\n")
        #expect(encoder.bodyFraming(for: ByteBuffer(string: "a")) == .chunk)
    }

    @Test func aLengthTheBackendsConnectionNamesIsDroppedAndTheBodyChunked() {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "2", "connection": "content-length"])
        var encoder = HTTP1ResponseEncoder()
        var out = ByteBuffer()
        encoder.encodeForwardedHead(head, version: .http1_1, connection: nil, requestIsHead: false, into: &out)
        #expect(String(buffer: out) == "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
    }
}
