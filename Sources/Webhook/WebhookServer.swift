import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The HTTPS server of `causeway webhook`: `POST /inject` (reviews), `GET /healthz` and
/// `/readyz` (probes, always 200 while the process serves) and `GET /metrics`, on one port.
/// Reviews are decided on the connection's event loop: they take well under a millisecond, and a
/// hop to another executor would cost more than the work.
public final class WebhookServer: Sendable {
    let endpoint: InjectionEndpoint
    let certificates: CertificateReloader?
    let logger: Logger
    private let channel = Mutex<(any Channel)?>(nil)

    /// - Parameter certificates: nil serves plain HTTP (tests and benchmarks only; the API server
    ///   calls webhooks over HTTPS).
    public init(endpoint: InjectionEndpoint, certificates: CertificateReloader?, logger: Logger) {
        self.endpoint = endpoint
        self.certificates = certificates
        self.logger = logger
    }

    /// Binds the listening socket and starts accepting; returns the port.
    public func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> Int {
        let endpoint = self.endpoint
        let certificates = self.certificates
        let bound = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let certificates {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: certificates.context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(WebhookHTTPHandler(endpoint: endpoint))
                }
            }
            .bind(host: host, port: port).get()
        channel.withLock { $0 = bound }
        return bound.localAddress?.port ?? 0
    }

    /// Serves until the calling task is cancelled, reloading the certificate files as they change.
    public func run(certificateCheckInterval: Duration = .seconds(2)) async {
        guard let bound = channel.withLock({ $0 }) else { return }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                if let certificates {
                    group.addTask { await certificates.watch(every: certificateCheckInterval, logger: self.logger) }
                }
                group.addTask { try? await bound.closeFuture.get() }
            }
        } onCancel: {
            bound.close(promise: nil)
        }
    }

    /// What each path answers; a pure function of the request, shared by tests.
    static func answer(method: HTTPMethod, uri: String, body: ByteBuffer, endpoint: InjectionEndpoint) -> WebhookAnswer {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        switch path {
        case InjectionWebhook.path:
            return endpoint.answer(method: method.rawValue, body: body.readableBytesView)
        case "/healthz", "/readyz", "/livez":
            return .text(200, "ok", outcome: .other)
        case "/metrics":
            return WebhookAnswer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                 body: Array(endpoint.metrics.render().utf8), outcome: .other)
        default:
            return .text(404, "not found; POST AdmissionReviews to \(InjectionWebhook.path)", outcome: .other)
        }
    }
}

/// One connection's requests: collects a body (bounded), answers, keeps the connection open
/// when the client asks to. NIO's pipelining handler orders the answers.
final class WebhookHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let endpoint: InjectionEndpoint
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(endpoint: InjectionEndpoint) { self.endpoint = endpoint }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            tooLarge = false
            body.clear()
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length <= InjectionEndpoint.maxBodyBytes {
                body.reserveCapacity(length)
            }
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > InjectionEndpoint.maxBodyBytes {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(.text(413, "the body is larger than \(InjectionEndpoint.maxBodyBytes) bytes", outcome: .malformed),
                      keepAlive: false, context: context)
                return
            }
            let answer = WebhookServer.answer(method: head.method, uri: head.uri, body: body, endpoint: endpoint)
            write(answer, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func write(_ answer: WebhookAnswer, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: answer.contentType)
        headers.add(name: "content-length", value: String(answer.body.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let status = HTTPResponseStatus(statusCode: answer.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !answer.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: answer.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
