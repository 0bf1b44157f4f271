import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import Synchronization

/// A small HTTP server for tests, speaking HTTP/1.1 and (with prior knowledge) h2c.
///
/// Paths: `/slow?ms=N` answers after N ms; `/reset` closes the connection without answering;
/// `/bytes?n=N` answers N bytes; `/trailers` answers with `grpc-status` trailers; on h2c,
/// `/goaway?after=N` on a stream after the connection's first N sends GOAWAY naming the N-th as
/// the last and leaves this one unanswered, as nginx does after `keepalive_requests`;
/// `/connection-error` on h2c sends a frame that is a connection error (WINDOW_UPDATE of 0 on
/// stream 0) and leaves the request unanswered; anything else
/// echoes the request: status 200, header `x-backend: <name>`, body lines
/// `method uri`, then `name: value` per header, then `body-bytes: N`.
final class TestBackend: Sendable {
    let name: String
    let channel: Channel
    let requests = Atomic<Int>(0)
    let connections = Atomic<Int>(0)
    /// Connections that have closed (from either side).
    let closedConnections = Atomic<Int>(0)

    var port: Int { channel.localAddress!.port! }

    private init(name: String, channel: Channel) {
        self.name = name
        self.channel = channel
    }

    static func start(name: String, group: any EventLoopGroup, h2c: Bool = false) async throws -> TestBackend {
        let box = BackendBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    box.backend?.connections.add(1, ordering: .relaxed)
                    channel.closeFuture.whenComplete { _ in box.backend?.closedConnections.add(1, ordering: .relaxed) }
                    if h2c {
                        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                            mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                        ) { stream in
                            stream.eventLoop.makeCompletedFuture {
                                try stream.pipeline.syncOperations.addHandlers([
                                    HTTP2FramePayloadToHTTP1ServerCodec(), BackendHandler(name: name, box: box),
                                ])
                            }
                        }
                    } else {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(BackendHandler(name: name, box: box))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let backend = TestBackend(name: name, channel: channel)
        box.set(backend)
        return backend
    }

    func stop() async {
        try? await channel.close()
    }
}

final class BackendBox: Sendable {
    private let value = Mutex<TestBackend?>(nil)
    var backend: TestBackend? { value.withLock { $0 } }
    func set(_ backend: TestBackend) { value.withLock { $0 = backend } }
}

private final class BackendHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let name: String
    let box: BackendBox
    var head: HTTPRequestHead?
    var bodyBytes = 0
    var requestTrailers: HTTPHeaders?
    /// After `/poison`, the next request on this connection is dropped with a close, as a backend
    /// whose keep-alive timeout fires just as the proxy reuses the connection.
    var poisoned = false

    init(name: String, box: BackendBox) {
        self.name = name
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
            requestTrailers = nil
            box.backend?.requests.add(1, ordering: .relaxed)
            if head.uri.hasPrefix("/reset") || poisoned { context.close(promise: nil) }
            if head.uri.hasPrefix("/goaway"), goAway(head, context: context) { self.head = nil }
            if head.uri.hasPrefix("/connection-error"), breakConnection(context: context) { self.head = nil }
            if head.uri.hasPrefix("/poison") { poisoned = true }
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
        case .end(let trailers):
            requestTrailers = trailers
            guard let head else { return }
            respond(to: head, context: context)
        }
    }

    /// Whether this stream is past the `after` streams a connection serves; if so, GOAWAY went out.
    private func goAway(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> Bool {
        guard let after = head.uri.split(separator: "=").last.flatMap({ Int($0) }),
              let parent = context.channel.parent,
              let streamID = try? context.channel.syncOptions?.getOption(HTTP2StreamChannelOptions.streamID),
              streamID > HTTP2StreamID(2 * after - 1) else { return false }
        let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: HTTP2StreamID(2 * after - 1), errorCode: .noError, opaqueData: nil))
        parent.writeAndFlush(frame, promise: nil)
        return true
    }

    /// Writes the bad frame below the HTTP/2 handler, which would refuse to send it.
    private func breakConnection(context: ChannelHandlerContext) -> Bool {
        guard let parent = context.channel.parent,
              let http2 = try? parent.pipeline.syncOperations.context(handlerType: NIOHTTP2Handler.self) else { return false }
        var frame = parent.allocator.buffer(capacity: 13)
        frame.writeBytes([0, 0, 4, 0x8, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        http2.writeAndFlush(NIOAny(IOData.byteBuffer(frame)), promise: nil)
        return true
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        func param(_ key: String) -> Int? {
            for pair in query.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0] == key { return Int(kv[1]) }
            }
            return nil
        }
        // `/flaky...`: backends named `bad...` fail it — `/flaky-slow` by answering after 2 s,
        // anything else with 503 — and the others answer as usual (retry tests).
        if head.uri.hasPrefix("/flaky"), name.hasPrefix("bad") {
            guard head.uri.hasPrefix("/flaky-slow") else {
                write(status: .serviceUnavailable, body: "unavailable\n", context: context)
                return
            }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { [self] in
                self.write(status: .ok, body: "late\n", context: bound.value)
            }
            return
        }
        if head.uri.hasPrefix("/slow") {
            let delay = param("ms") ?? 1000
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(delay))) { [self] in
                self.write(status: .ok, body: "slow\n", context: bound.value)
            }
            return
        }
        if head.uri.hasPrefix("/bytes") {
            let count = param("n") ?? 0
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: String(count))
            headers.add(name: "x-backend", value: name)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            var remaining = count
            while remaining > 0 {
                let size = min(remaining, 64 * 1024)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "x"), count: size)))), promise: nil)
                remaining -= size
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        if head.uri.hasPrefix("/trailers") {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/grpc")
            headers.add(name: "x-backend", value: name)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "payload")))), promise: nil)
            var trailers = HTTPHeaders()
            trailers.add(name: "grpc-status", value: "0")
            trailers.add(name: "grpc-message", value: "ok")
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
            return
        }
        var body = "\(head.method.rawValue) \(head.uri)\n"
        for (name, value) in head.headers { body += "\(name.lowercased()): \(value)\n" }
        body += "body-bytes: \(bodyBytes)\n"
        if let requestTrailers { for (name, value) in requestTrailers { body += "trailer \(name.lowercased()): \(value)\n" } }
        write(status: .ok, body: body, context: context)
    }

    private func write(status: HTTPResponseStatus, body: String, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "content-type", value: "text/plain")
        headers.add(name: "x-backend", value: name)
        headers.add(name: "x-remove-me", value: "1")
        if head?.uri.hasPrefix("/close") == true { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let closing = head?.uri.hasPrefix("/close") == true
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if closing { context.close(promise: nil) }
        }
    }
}
