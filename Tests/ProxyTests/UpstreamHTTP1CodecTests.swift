import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Proxy

/// The upstream HTTP/1.1 codec on an `EmbeddedChannel`: request parts in, bytes out; response
/// bytes in (whole, or split at every byte), parts out.
@Suite struct UpstreamHTTP1CodecTests {
    /// Collects the parts the codec passes on and the errors it reports.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        var parts: [HTTPClientResponsePart] = []
        var errors: [any Error] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { parts.append(unwrapInboundIn(data)) }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { errors.append(error) }
    }

    /// What a response came out as: the heads' status codes, the body bytes, the trailers, how many ends.
    struct Summary: Equatable {
        var statuses: [UInt] = []
        var body = ""
        var trailers: [String] = []
        var ends = 0
    }

    func channel(sending methods: [HTTPMethod] = [.GET]) throws -> (EmbeddedChannel, Collector) {
        let collector = Collector()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(UpstreamHTTP1Codec())
        try channel.pipeline.syncOperations.addHandler(collector)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        for method in methods {
            try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: "/")))
            try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        }
        while try channel.readOutbound(as: IOData.self) != nil {}
        return (channel, collector)
    }

    func summary(_ parts: [HTTPClientResponsePart]) -> Summary {
        var summary = Summary()
        for part in parts {
            switch part {
            case .head(let head): summary.statuses.append(head.status.code)
            case .body(let body): summary.body += String(buffer: body)
            case .end(let trailers):
                summary.ends += 1
                summary.trailers += (trailers ?? [:]).map { "\($0.name)=\($0.value)" }
            }
        }
        return summary
    }

    /// Feeds `bytes` whole and then split in two at every position; every way must read the same.
    func read(_ bytes: String, methods: [HTTPMethod] = [.GET], close: Bool = false) throws -> Summary {
        let whole = try readOnce([bytes], methods: methods, close: close)
        let utf8 = Array(bytes.utf8)
        for split in 1..<utf8.count {
            let pieces = [String(decoding: utf8[..<split], as: UTF8.self), String(decoding: utf8[split...], as: UTF8.self)]
            #expect(try readOnce(pieces, methods: methods, close: close) == whole, "split at \(split)")
        }
        return whole
    }

    func readOnce(_ pieces: [String], methods: [HTTPMethod], close: Bool) throws -> Summary {
        let (channel, collector) = try channel(sending: methods)
        for piece in pieces { try channel.writeInbound(ByteBuffer(string: piece)) }
        if close { channel.pipeline.fireChannelInactive() }
        #expect(collector.errors.isEmpty, "\(collector.errors)")
        _ = try? channel.finish()
        return summary(collector.parts)
    }

    @Test func contentLengthBody() throws {
        let summary = try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello")
        #expect(summary == Summary(statuses: [200], body: "hello", ends: 1))
    }

    @Test func chunkedBodyWithExtensionAndTrailers() throws {
        let summary = try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\ngrpc-status: 0\r\n\r\n")
        #expect(summary == Summary(statuses: [200], body: "hello world", trailers: ["grpc-status=0"], ends: 1))
    }

    @Test func bodyUntilTheConnectionCloses() throws {
        let summary = try read("HTTP/1.0 200 OK\r\n\r\nall of it", close: true)
        #expect(summary == Summary(statuses: [200], body: "all of it", ends: 1))
    }

    @Test func responsesWithoutABodyEndAtTheirHead() throws {
        // HEAD (with the length a GET would have), 204 and 304, back to back on one connection.
        let summary = try read(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n",
            methods: [.HEAD, .GET, .GET])
        #expect(summary == Summary(statuses: [200, 204, 304], ends: 3))
    }

    @Test func interimResponsesPrecedeTheFinalOne() throws {
        let summary = try read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", methods: [.POST])
        #expect(summary == Summary(statuses: [100, 201], body: "ok", ends: 1))
    }

    @Test func repeatedIdenticalContentLengthIsOneLength() throws {
        let summary = try read("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok")
        #expect(summary == Summary(statuses: [200], body: "ok", ends: 1))
    }

    @Test func theBackendsReasonPhraseIsKept() throws {
        let (channel, collector) = try channel()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 299 Fine Thanks\r\nContent-Length: 0\r\n\r\n"))
        guard case .head(let head) = collector.parts.first else { Issue.record("no head"); return }
        #expect(head.status.code == 299 && head.status.reasonPhrase == "Fine Thanks")
        #expect(head.headers.first(name: "content-length") == "0")
    }

    @Test(arguments: [
        ("both framings", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"),
        ("length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 3a\r\n\r\n"),
        ("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n\r\n\r\n"),
        ("obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n"),
        ("space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"),
        ("NUL in a value", "HTTP/1.1 200 OK\r\nX-A: b\u{0}c\r\nContent-Length: 0\r\n\r\n"),
        ("bare CR in a value", "HTTP/1.1 200 OK\r\nX-A: b\rc\r\nContent-Length: 0\r\n\r\n"),
        ("not HTTP/1.x", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ("two-digit status", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n"),
        ("chunk size not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        ("chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokxx0\r\n\r\n"),
        ("switching protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"),
    ])
    func malformedResponsesFailTheConnection(_ what: String, _ bytes: String) throws {
        let (channel, collector) = try channel()
        try channel.writeInbound(ByteBuffer(string: bytes))
        #expect(!collector.errors.isEmpty, "\(what)")
        #expect(!channel.isActive, "\(what): the connection is closed")
        #expect(!collector.parts.contains { if case .end = $0 { true } else { false } }, "\(what): no response completes")
    }

    @Test func aHeadLargerThanTheLimitFails() throws {
        let (channel, collector) = try channel()
        let field = "X-Big: " + String(repeating: "a", count: 1024) + "\r\n"
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n" + String(repeating: field, count: 70)))
        #expect(collector.errors.contains { ($0 as? HTTP1ParseError) == .headTooLarge })
    }

    @Test func aResponseNobodyAskedForFails() throws {
        let (channel, collector) = try channel(sending: [])
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(collector.errors.contains { ($0 as? HTTP1ParseError) == .unexpectedResponse })
    }

    @Test(arguments: ["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", "HTTP/1.1 200 OK\r\nContent-Le",
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"])
    func aConnectionClosedInTheMiddleOfAResponseFails(_ bytes: String) throws {
        let (channel, collector) = try channel()
        try channel.writeInbound(ByteBuffer(string: bytes))
        channel.pipeline.fireChannelInactive()
        #expect(collector.errors.contains { ($0 as? HTTP1ParseError) == .truncated })
    }

    /// A keep-alive connection the backend closed before answering is the pool's close race, not
    /// a broken response: no error here, the request handler sees the close (and may retry).
    @Test func aConnectionClosedBeforeAnyAnswerIsJustClosed() throws {
        let (channel, collector) = try channel()
        channel.pipeline.fireChannelInactive()
        #expect(collector.errors.isEmpty)
        #expect(collector.parts.isEmpty)
    }

    // MARK: Requests

    func written(_ parts: [HTTPClientRequestPart]) throws -> String {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(UpstreamHTTP1Codec())
        for part in parts { try channel.writeOutbound(part) }
        var out = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { out += String(buffer: buffer) }
        }
        return out
    }

    func head(_ method: HTTPMethod, _ headers: [(String, String)]) -> HTTPClientRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: method, uri: "/p?q=1", headers: HTTPHeaders(headers)))
    }

    @Test func aGetIsWrittenAsItIs() throws {
        #expect(try written([head(.GET, [("Host", "a"), ("X-Request-Id", "r")]), .end(nil)])
            == "GET /p?q=1 HTTP/1.1\r\nHost: a\r\nX-Request-Id: r\r\n\r\n")
    }

    @Test func aBodyWithALengthGoesAsItIsAndDropsTransferEncoding() throws {
        #expect(try written([head(.POST, [("content-length", "2"), ("transfer-encoding", "chunked")]),
                             .body(.byteBuffer(ByteBuffer(string: "ok"))), .end(nil)])
            == "POST /p?q=1 HTTP/1.1\r\ncontent-length: 2\r\n\r\nok")
    }

    @Test func aPostWithoutALengthGoesChunkedWithTrailers() throws {
        #expect(try written([head(.POST, [("host", "a")]), .body(.byteBuffer(ByteBuffer(string: "hello world, again"))),
                             .end(HTTPHeaders([("grpc-status", "0")]))])
            == "POST /p?q=1 HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n12\r\nhello world, again\r\n0\r\ngrpc-status: 0\r\n\r\n")
    }

    @Test func aGetIsChunkedOnlyWhenItsHeadSaysSo() throws {
        #expect(try written([head(.GET, [("transfer-encoding", "chunked")]), .body(.byteBuffer(ByteBuffer(string: "ab"))), .end(nil)])
            == "GET /p?q=1 HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n")
    }

    @Test func traceCarriesNoFraming() throws {
        #expect(try written([head(.TRACE, [("content-length", "0"), ("x", "y")]), .end(nil)]) == "TRACE /p?q=1 HTTP/1.1\r\nx: y\r\n\r\n")
    }
}
