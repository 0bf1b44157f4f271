import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1

/// A keep-alive HTTP/1.1 connection that sends one request at a time and hands back the status.
final class SequentialClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: EventLoopPromise<Int>?
    private var status = 0

    func send(_ context: ChannelHandlerContext, method: HTTPMethod, uri: String, body: [UInt8], promise: EventLoopPromise<Int>) {
        pending = promise
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1")
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body: break
        case .end:
            let promise = pending
            pending = nil
            promise?.succeed(status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }
}

/// Sends requests over one connection, awaiting each answer.
struct SequentialClient: Sendable {
    let channel: any Channel

    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws -> SequentialClient {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(SequentialClientHandler())
                }
            }
            .connect(host: host, port: port).get()
        return SequentialClient(channel: channel)
    }

    func send(_ method: HTTPMethod, _ uri: String, body: [UInt8]) async throws -> Int {
        let promise = channel.eventLoop.makePromise(of: Int.self)
        channel.eventLoop.execute {
            guard let context = try? channel.pipeline.syncOperations.context(handlerType: SequentialClientHandler.self),
                  let handler = try? channel.pipeline.syncOperations.handler(type: SequentialClientHandler.self) else {
                promise.fail(ChannelError.ioOnClosedChannel)
                return
            }
            handler.send(context, method: method, uri: uri, body: body, promise: promise)
        }
        return try await promise.futureResult.get()
    }
}

/// Reads a watch stream line by line and reports each event's arrival.
final class WatchLineHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var partial: [UInt8] = []
    private let onLine: @Sendable ([UInt8], ContinuousClock.Instant) -> Void
    private let uri: String

    init(uri: String, onLine: @escaping @Sendable ([UInt8], ContinuousClock.Instant) -> Void) {
        self.uri = uri
        self.onLine = onLine
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1")
        context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .body(var buffer) = unwrapInboundIn(data) else { return }
        let now = ContinuousClock.now
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        partial.append(contentsOf: bytes)
        while let newline = partial.firstIndex(of: 0x0A) {
            let line = Array(partial[..<newline])
            partial.removeSubrange(...newline)
            onLine(line, now)
        }
    }
}
