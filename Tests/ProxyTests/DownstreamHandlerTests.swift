import NIOCore
import NIOEmbedded
import NIOHTTP1
import ProxyConfig
import Testing

@testable import Proxy

/// The HTTP/1 connection handler on an `EmbeddedChannel`: bytes in, bytes out, virtual time.
/// No route is configured, so every request is answered by the proxy itself (404).
@Suite struct DownstreamHandlerTests {
    let limits = ListenerLimits(headerReadTimeout: GatewayDuration(milliseconds: 2_000), idleTimeout: GatewayDuration(milliseconds: 5_000))

    func channel() throws -> EmbeddedChannel {
        var config = TestConfig.config(routes: [], backends: [], limits: limits)
        config.listeners[0].port = 8080
        let active = try ActiveConfigBuilder.build(config, loopCount: 1)
        let channel = EmbeddedChannel()
        let loop = LoopContext(eventLoop: channel.embeddedEventLoop, store: ConfigStore(active), accessLog: nil, lifecycle: ProxyLifecycle())
        let listener = ListenerRuntime(name: "http", limits: RequestLimits(config.listeners[0].limits), isTLS: false)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        try channel.pipeline.syncOperations.addHandler(DownstreamHTTP1Decoder(maxHeaderBytes: limits.maxRequestHeaderBytes, maxFields: limits.maxRequestHeaderCount + 1))
        try channel.pipeline.syncOperations.addHandler(ProxyRequestHandler(loop: loop, listener: listener, isHTTP2: false, facts: ConnectionFacts()))
        return channel
    }

    func written(_ channel: EmbeddedChannel) throws -> String {
        var out = ByteBuffer()
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out.writeImmutableBuffer(buffer) }
        return String(buffer: out)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(string: "GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n"))
        let output = try written(channel)
        let first = try #require(output.range(of: "no route matches /first"))
        let second = try #require(output.range(of: "no route matches /second"))
        #expect(first.upperBound < second.lowerBound)
        #expect(output.components(separatedBy: "HTTP/1.1 404 Not Found\r\n").count == 3)
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test func aMalformedRequestIsAnswered400AndTheConnectionClosed() throws {
        let channel = try channel()
        _ = try? channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nBad Header\r\n\r\n"))
        let output = try written(channel)
        #expect(output.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(output.contains("connection: close\r\n"))
        // The client is told what was wrong.
        #expect(output.hasSuffix("400 Bad Request: malformed HTTP/1.1 message: invalid field name\n"))
        #expect(!channel.isActive)
    }

    @Test func aMalformedRequestBehindAValidOneIsAnsweredAfterIt() throws {
        let channel = try channel()
        _ = try? channel.writeInbound(ByteBuffer(string: "GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nBad Header\r\n\r\n"))
        let output = try written(channel)
        #expect(output.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        let malformed = try #require(output.range(of: "HTTP/1.1 400 Bad Request\r\n"))
        #expect(output.range(of: "no route matches /ok")!.upperBound < malformed.lowerBound)
        #expect(!channel.isActive)
    }

    @Test func aHeadRequestGetsTheHeadWithoutABody() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(string: "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n"))
        let output = try written(channel)
        #expect(output.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(output.hasSuffix("\r\n\r\n"))
        #expect(!output.contains("no route"))
        _ = try channel.finish()
    }

    @Test func aConnectionWithoutARequestClosesAtTheHeaderTimeout() throws {
        let channel = try channel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1_999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2))
        #expect(!channel.isActive)
        #expect(try written(channel).isEmpty)
    }

    @Test func anIdleKeepAliveConnectionClosesAtTheIdleTimeoutCountedFromItsLastResponse() throws {
        let channel = try channel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1_500))
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        _ = try written(channel)
        // Past the header deadline the connection was created with: a request arrived, so it stays.
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(4_000))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1_001))
        #expect(!channel.isActive)
    }

    @Test func drainClosesAnIdleConnection() throws {
        let channel = try channel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        _ = try written(channel)
        channel.pipeline.fireUserInboundEventTriggered(ListenerPipeline.DrainEvent())
        #expect(!channel.isActive)
    }
}
