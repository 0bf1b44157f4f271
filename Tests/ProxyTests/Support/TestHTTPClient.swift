import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A response as a test sees it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String
    var bodyBytes: Int
    var trailers: HTTPHeaders?

    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// A keep-alive HTTP/1.1 client over one connection; requests are sent one after another.
final class TestHTTPClient: Sendable {
    let channel: Channel

    private init(channel: Channel) { self.channel = channel }

    /// With `tls`, the connection is TLS (no server name: mesh peers are named by SPIFFE ID).
    static func connect(port: Int, group: any EventLoopGroup, tls: NIOSSLContext? = nil) async throws -> TestHTTPClient {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TestHTTPClient(channel: channel)
    }

    func request(
        _ method: HTTPMethod = .GET, _ uri: String, host: String = "example.com", headers: [(String, String)] = [],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "host", value: host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes)) }
        let finalHead = head
        let promise = channel.eventLoop.makePromise(of: TestResponse.self)
        let channel = self.channel
        try await channel.eventLoop.submit {
            let collector = try channel.pipeline.syncOperations.handler(type: ResponseCollector.self)
            guard channel.isActive else {
                promise.fail(ConnectionClosedBeforeResponse())
                return
            }
            collector.waiters.append(promise)
            channel.write(HTTPClientRequestPart.head(finalHead), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }.flatMapErrorThrowing { error in
            promise.fail(error)
            throw error
        }.get()
        // A response that never comes fails the test instead of hanging it.
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(10)) { promise.fail(ResponseTimedOut(uri: finalHead.uri)) }
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }

    func close() async {
        try? await channel.close()
    }

    /// One connection, one request: the common case.
    static func get(_ uri: String, port: Int, group: any EventLoopGroup, host: String = "example.com", headers: [(String, String)] = []) async throws -> TestResponse {
        let client = try await connect(port: port, group: group)
        defer { Task { await client.close() } }
        return try await client.request(.GET, uri, host: host, headers: headers)
    }
}

struct ConnectionClosedBeforeResponse: Error {}
struct ResponseTimedOut: Error { var uri: String }

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    var waiters: [EventLoopPromise<TestResponse>] = []
    private var current: TestResponse?
    private var body = ByteBuffer()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            current = TestResponse(status: Int(head.status.code), headers: head.headers, body: "", bodyBytes: 0)
            body.clear()
        case .body(var buffer):
            body.writeBuffer(&buffer)
        case .end(let trailers):
            guard var response = current, !waiters.isEmpty else { return }
            response.bodyBytes = body.readableBytes
            response.body = body.readableBytes <= 1 << 20 ? String(buffer: body) : ""
            response.trailers = trailers
            current = nil
            waiters.removeFirst().succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.fail(ConnectionClosedBeforeResponse()) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.fail(error) }
        context.close(promise: nil)
    }
}
