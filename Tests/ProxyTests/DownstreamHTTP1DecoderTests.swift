import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import Proxy

/// The client-side HTTP/1.1 decoder on an `EmbeddedChannel`: bytes in (whole, or split at every
/// byte), request parts out, and the framing rules that stop request smuggling.
@Suite struct DownstreamHTTP1DecoderTests {
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var parts: [HTTPServerRequestPart] = []
        var errors: [any Error] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { parts.append(unwrapInboundIn(data)) }
        func errorCaught(context: ChannelHandlerContext, error: any Error) { errors.append(error) }
    }

    /// Each request as `METHOD target version` with its fields, body and trailers.
    struct Request: Equatable {
        var line = ""
        var fields: [String] = []
        var body = ""
        var trailers: [String] = []
    }

    func decode(_ pieces: [String], maxHeaderBytes: Int = 8192, maxFields: Int = 100) throws -> ([Request], [any Error]) {
        let collector = Collector()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(DownstreamHTTP1Decoder(maxHeaderBytes: maxHeaderBytes, maxFields: maxFields))
        try channel.pipeline.syncOperations.addHandler(collector)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        for piece in pieces { try channel.writeInbound(ByteBuffer(string: piece)) }
        _ = try? channel.finish()
        var requests: [Request] = []
        for part in collector.parts {
            switch part {
            case .head(let head):
                requests.append(Request(line: "\(head.method.rawValue) \(head.uri) \(head.version)",
                                        fields: head.headers.map { "\($0.name)=\($0.value)" }))
            case .body(let body): requests[requests.count - 1].body += String(buffer: body)
            case .end(let trailers): requests[requests.count - 1].trailers = (trailers ?? [:]).map { "\($0.name)=\($0.value)" }
            }
        }
        return (requests, collector.errors)
    }

    /// Whole, and split in two at every byte: the same requests every way.
    func decodeEveryWay(_ bytes: String) throws -> [Request] {
        let (whole, errors) = try decode([bytes])
        #expect(errors.isEmpty, "\(errors)")
        let utf8 = Array(bytes.utf8)
        for split in 1..<utf8.count {
            let (requests, errors) = try decode([String(decoding: utf8[..<split], as: UTF8.self), String(decoding: utf8[split...], as: UTF8.self)])
            #expect(requests == whole && errors.isEmpty, "split at \(split)")
        }
        return whole
    }

    @Test func pipelinedRequestsWithEveryFraming() throws {
        let requests = try decodeEveryWay(
            "GET /a?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "\r\n"  // an empty line between requests is ignored
                + "PUT /c HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nxyz\r\n0\r\nX-T: 1\r\n\r\n"
                + "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(requests == [
            Request(line: "GET /a?x=1 HTTP/1.1", fields: ["Host=a"]),
            Request(line: "POST /b HTTP/1.1", fields: ["Host=a", "Content-Length=3"], body: "abc"),
            Request(line: "PUT /c HTTP/1.0", fields: ["Transfer-Encoding=chunked"], body: "xyz", trailers: ["X-T=1"]),
            Request(line: "OPTIONS * HTTP/1.1", fields: ["Host=a"]),
        ])
    }

    @Test func absoluteFormAndExtensionMethodsPass() throws {
        let requests = try decodeEveryWay("PURGE http://a.example/p HTTP/1.1\r\nHost: a.example\r\nX-Empty:\r\n\r\n")
        #expect(requests == [Request(line: "PURGE http://a.example/p HTTP/1.1", fields: ["Host=a.example", "X-Empty="])])
    }

    @Test(arguments: [
        ("Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
        ("conflicting Content-Length", "POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n"),
        ("Content-Length not a number", "POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n"),
        ("obs-fold", "GET / HTTP/1.1\r\nX-A: b\r\n\tc\r\n\r\n"),
        ("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
        ("bare LF ends a line", "GET / HTTP/1.1\nHost: a\r\n\r\n"),
        ("bare CR in a value", "GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n"),
        ("NUL in a value", "GET / HTTP/1.1\r\nX-A: b\u{0}c\r\n\r\n"),
        ("space in the target", "GET /a b HTTP/1.1\r\n\r\n"),
        ("HTTP/2 in an HTTP/1 request line", "GET / HTTP/2.0\r\n\r\n"),
        ("lowercase version", "GET / http/1.1\r\n\r\n"),
        ("no method", " / HTTP/1.1\r\n\r\n"),
        ("chunk size not hexadecimal", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nx\r\n"),
        ("chunk data not followed by CRLF", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n"),
    ])
    func smugglingShapedRequestsAreRefused(_ what: String, _ bytes: String) throws {
        let (_, errors) = try decode([bytes + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"])
        #expect(errors.count == 1, "\(what)")
        #expect(errors.first.map { $0 is HTTP1ParseError } == true, "\(what)")
    }

    @Test func nothingIsReadAfterAnError() throws {
        let (requests, errors) = try decode(["GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"])
        #expect(requests.isEmpty)
        #expect(errors.count == 1)
    }

    @Test func aHeadOverTheLimitsIsTooLarge() throws {
        let many = "GET / HTTP/1.1\r\n" + (0..<11).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(try decode([many], maxFields: 10).1.first.map { ($0 as? HTTP1ParseError) == .headTooLarge } == true)
        let long = "GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 1024 + HTTP1RequestParser.requestLineAllowance) + "\r\n\r\n"
        #expect(try decode([long], maxHeaderBytes: 1024).1.first.map { ($0 as? HTTP1ParseError) == .headTooLarge } == true)
        // Unfinished, but already over: refused without waiting for the rest.
        let unfinished = "GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 1024 + HTTP1RequestParser.requestLineAllowance)
        #expect(try decode([unfinished], maxHeaderBytes: 1024).1.first.map { ($0 as? HTTP1ParseError) == .headTooLarge } == true)
    }
}
