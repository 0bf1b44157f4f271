import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 endpoint for operations — health probes, `/metrics`, admin views — where
/// each path's answer comes from a closure. Every Causeway process that kubelet probes or
/// Prometheus scrapes serves one.
public final class OpsServer: Sendable {
    public struct Answer: Sendable {
        public var status: HTTPResponseStatus
        public var contentType: String
        public var body: String

        public init(status: HTTPResponseStatus, contentType: String, body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        public static func text(_ body: String, status: HTTPResponseStatus = .ok) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: body)
        }
    }

    public let channel: any Channel
    public var port: Int? { channel.localAddress?.port }

    private init(channel: any Channel) { self.channel = channel }

    public static func start(host: String, port: Int, group: any EventLoopGroup,
                      answer: @escaping @Sendable (String) async -> Answer) async throws -> OpsServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OpsHandler(answer: answer))
                }
            }
            .bind(host: host, port: port).get()
        return OpsServer(channel: channel)
    }

    public func stop() async { try? await channel.close() }
}

private final class OpsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let answer: @Sendable (String) async -> OpsServer.Answer
    private var head: HTTPRequestHead?

    init(answer: @escaping @Sendable (String) async -> OpsServer.Answer) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            let keepAlive = head.isKeepAlive
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let answer = self.answer
            let method = head.method
            context.eventLoop.makeFutureWithTask { () async -> OpsServer.Answer in
                guard method == .GET || method == .HEAD else {
                    return OpsServer.Answer(status: .methodNotAllowed, contentType: "text/plain", body: "GET only\n")
                }
                return await answer(path)
            }.whenSuccess { result in
                handler.value.write(result, keepAlive: keepAlive, context: boundContext.value)
            }
        }
    }

    private func write(_ answer: OpsServer.Answer, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.utf8.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}
