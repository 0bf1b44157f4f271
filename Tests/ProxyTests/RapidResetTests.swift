import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import ProxyConfig
import Testing
@testable import Proxy

@Suite("HTTP/2 abuse protection")
struct RapidResetTests {
    /// CVE-2023-44487: open a stream, reset it, repeat. The proxy must drop such a client and keep
    /// serving others.
    @Test func rapidResetLosesTheConnection() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let channel = try await ClientBootstrap(group: fixture.group).connect(host: "127.0.0.1", port: fixture.port).get()
        let multiplexer = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
            ) { $0.eventLoop.makeSucceededVoidFuture() }
        }.get()
        let headers = HPACKHeaders([(":method", "GET"), (":path", "/slow?ms=5000"), (":scheme", "http"), (":authority", "example.com")])
        var opened = 0
        for _ in 0..<1000 {
            guard channel.isActive else { break }
            guard let stream = try? await multiplexer.createStreamChannel({ $0.eventLoop.makeSucceededVoidFuture() }).get() else { break }
            stream.write(HTTP2Frame.FramePayload.headers(.init(headers: headers, endStream: true)), promise: nil)
            stream.writeAndFlush(HTTP2Frame.FramePayload.rstStream(.cancel), promise: nil)
            opened += 1
        }
        let closed = channel.eventLoop.makePromise(of: Void.self)
        channel.closeFuture.cascade(to: closed)
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(10)) { closed.fail(ChannelError.ioOnClosedChannel) }
        let wasClosed = (try? await closed.futureResult.get()) != nil
        timeout.cancel()
        if !wasClosed { try? await channel.close() }
        #expect(wasClosed, "connection survived \(opened) rapid resets")
        #expect(try await TestHTTPClient.get("/still-serving", port: fixture.port, group: fixture.group).status == 200)
        await fixture.stop()
    }
}
