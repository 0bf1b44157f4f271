import NIOCore
import NIOHTTP1
import NIOPosix
import ProxyConfig

/// The admin endpoint: `/metrics` (Prometheus text), `/ready`, `/config` (the active config and
/// its version as JSON). Separate port, never routed through the proxy.
public final class AdminServer: Sendable {
    public let channel: Channel

    public var port: Int? { channel.localAddress?.port }

    private init(channel: Channel) { self.channel = channel }

    public static func start(host: String, port: Int, proxy: ProxyServer, group: any EventLoopGroup) async throws -> AdminServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(proxy: proxy))
                }
            }
            .bind(host: host, port: port).get()
        return AdminServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

private final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let proxy: ProxyServer
    private var head: HTTPRequestHead?

    init(proxy: ProxyServer) { self.proxy = proxy }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            let proxy = self.proxy
            let keepAlive = head.isKeepAlive
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            let method = head.method
            let future = eventLoop.makeFutureWithTask { await Self.answer(path: path, method: method, proxy: proxy) }
            future.whenSuccess { answer in
                handler.value.write(answer, keepAlive: keepAlive, context: boundContext.value)
            }
        }
    }

    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String
    }

    private static func answer(path: String, method: NIOHTTP1.HTTPMethod, proxy: ProxyServer) async -> Answer {
        guard method == .GET || method == .HEAD else { return Answer(status: .methodNotAllowed, contentType: "text/plain", body: "GET only\n") }
        switch path {
        case "/metrics":
            return Answer(status: .ok, contentType: PrometheusExposition.contentType, body: await proxy.prometheusText())
        case "/ready":
            return proxy.isReady
                ? Answer(status: .ok, contentType: "text/plain", body: "ready\n")
                : Answer(status: .serviceUnavailable, contentType: "text/plain", body: "not ready\n")
        case "/config":
            return Answer(status: .ok, contentType: "application/json", body: ProxyConfigFile.encodeJSON(proxy.activeConfig) + "\n")
        default:
            return Answer(status: .notFound, contentType: "text/plain", body: "unknown admin path; try /metrics, /ready, /config\n")
        }
    }

    private func write(_ answer: Answer, keepAlive: Bool, context: ChannelHandlerContext) {
        let (status, contentType, body) = (answer.status, answer.contentType, answer.body)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.utf8.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}
