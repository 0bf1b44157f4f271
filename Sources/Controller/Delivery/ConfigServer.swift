import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ProxyConfig
import Synchronization
import Translator

/// Streams each proxy its data plane's configuration (`ConfigStreamMessage`s, one JSON line each)
/// over HTTPS, and takes their acknowledgements (`ConfigAck`). A proxy authenticates with its
/// projected service-account token and gets only the configuration of the data plane its service
/// account runs. While a proxy's stream is open it counts as one of its data plane's proxies.
final class ConfigServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let configs: ConfigStore
    let registry: DataPlaneRegistry
    let authenticator: ProxyAuthenticator
    /// The mesh CA's endpoint, served on the same port; nil when the mesh CA is off.
    let caService: CAService?
    let metrics: ControllerMetrics
    let logger: Logger
    private let tls: Mutex<NIOSSLContext?>
    private let serverChannel: Mutex<NIOAsyncChannel<Connection, Never>?> = Mutex(nil)
    private static let pingInterval = Duration.seconds(15)

    init(configs: ConfigStore, registry: DataPlaneRegistry, authenticator: ProxyAuthenticator, caService: CAService? = nil,
         tls: NIOSSLContext?, metrics: ControllerMetrics, logger: Logger) {
        self.caService = caService
        self.metrics = metrics
        self.configs = configs
        self.registry = registry
        self.authenticator = authenticator
        self.logger = logger
        self.tls = Mutex(tls)
    }

    private func currentTLS() -> NIOSSLContext? { tls.withLock { $0 } }

    /// The sidecar injector's `/inject`, served on the same port once set; nil when injection is off.
    private let injector = Mutex<InjectorService?>(nil)
    func serveInjection(_ service: InjectorService) { injector.withLock { $0 = service } }

    /// New connections use this TLS context from now on (certificate rotation).
    func replaceTLS(_ context: NIOSSLContext) { tls.withLock { $0 = context } }

    var port: Int? { serverChannel.withLock { $0?.channel.localAddress?.port } }

    /// Binds the listening socket; returns its port.
    func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> Int {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context = currentTLS() {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        serverChannel.withLock { $0 = server }
        return server.channel.localAddress?.port ?? 0
    }

    /// Serves the bound socket until the calling task is cancelled.
    func serve() async throws {
        guard let server = serverChannel.withLock({ $0 }) else { return }
        try await withTaskCancellationHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.clear()
                    case .body(var chunk):
                        guard body.readableBytes + chunk.readableBytes <= 1 << 20 else { throw ConfigServerError.bodyTooLarge }
                        body.writeBuffer(&chunk)
                    case .end:
                        guard let request = head else { continue }
                        head = nil
                        let keepOpen = try await handle(request, body: body, outbound: outbound, connection: connection)
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            logger.debug("configuration connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Answers one request; false when the connection must close afterwards.
    private func handle(_ request: HTTPRequestHead, body: ByteBuffer, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                        connection: Connection) async throws -> Bool {
        let components = URLComponents(string: request.uri)
        let path = components?.path ?? request.uri
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        if let caService, CAService.handles(path) {
            let answer = await caService.answer(method: request.method, path: path, headers: request.headers, body: body)
            try await respond(outbound, answer.status, answer.body, contentType: "application/json", keepAlive: request.isKeepAlive)
            return request.isKeepAlive
        }
        if InjectorService.handles(path), let injector = injector.withLock({ $0 }) {
            let answer = await injector.answer(method: request.method, body: body)
            try await respond(outbound, HTTPResponseStatus(statusCode: answer.status), answer.body, contentType: answer.contentType,
                              keepAlive: request.isKeepAlive)
            return request.isKeepAlive
        }
        switch (request.method, path) {
        case (.GET, ConfigProtocol.streamPath):
            guard let keyText = query["proxyKey"], let key = ProxyKey(parsing: keyText), let pod = query["pod"], !pod.isEmpty else {
                try await respond(outbound, .badRequest, "proxyKey and pod query parameters are required\n", keepAlive: false)
                return false
            }
            switch await authorize(request, key: key) {
            case .failure(let failure):
                try await respond(outbound, failure.status, failure.message + "\n", keepAlive: false)
                return false
            case .success:
                try await stream(key: key, pod: pod, outbound: outbound, closed: connection.channel.closeFuture)
                return false
            }
        case (.POST, ConfigProtocol.ackPath):
            guard let ack = try? JSONDecoder().decode(ConfigAck.self, from: Data(body.readableBytesView)),
                  let key = ProxyKey(parsing: ack.proxyKey) else {
                try await respond(outbound, .badRequest, "body must be a ConfigAck\n", keepAlive: request.isKeepAlive)
                return request.isKeepAlive
            }
            switch await authorize(request, key: key) {
            case .failure(let failure):
                try await respond(outbound, failure.status, failure.message + "\n", keepAlive: request.isKeepAlive)
            case .success:
                record(ack, key: key)
                try await respond(outbound, .noContent, "", keepAlive: request.isKeepAlive)
            }
            return request.isKeepAlive
        default:
            try await respond(outbound, .notFound, "try GET \(ConfigProtocol.streamPath) or POST \(ConfigProtocol.ackPath)\n",
                              keepAlive: request.isKeepAlive)
            return request.isKeepAlive
        }
    }

    private struct Refusal: Error {
        var status: HTTPResponseStatus
        var message: String
    }

    /// The token's service account must be the one that runs this data plane.
    private func authorize(_ request: HTTPRequestHead, key: ProxyKey) async -> Result<Void, Refusal> {
        let identity: ProxyAuthenticator.Identity
        do {
            identity = try await authenticator.authenticate(bearer: request.headers.first(name: "authorization"))
        } catch {
            return .failure(Refusal(status: .unauthorized, message: "\(error)"))
        }
        guard let owner = configs.owner(of: key) else {
            return .failure(Refusal(status: .notFound, message: "no configuration for \(key) (yet)"))
        }
        guard owner.namespace == identity.namespace, owner.serviceAccount == nil || owner.serviceAccount == identity.serviceAccount else {
            logger.warning("proxy refused: wrong service account", metadata: [
                "proxyKey": "\(key)", "serviceAccount": "\(identity.namespace)/\(identity.serviceAccount)",
            ])
            return .failure(Refusal(status: .forbidden,
                                    message: "service account \(identity.namespace)/\(identity.serviceAccount) does not run \(key)"))
        }
        return .success(())
    }

    private func stream(key: ProxyKey, pod: String, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
                        closed: EventLoopFuture<Void>) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: ConfigProtocol.streamContentType)
        headers.add(name: "cache-control", value: "no-store")
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        let streamID = registry.connect(proxy: pod, for: key)
        logger.info("proxy connected", metadata: ["proxyKey": "\(key)", "pod": "\(pod)"])
        defer {
            registry.remove(proxy: pod, for: key, stream: streamID)
            logger.info("proxy disconnected", metadata: ["proxyKey": "\(key)", "pod": "\(pod)"])
        }
        let changes = configs.changes(for: key)
        let encoder = JSONEncoder()
        var sent: String?
        // Wake on every change, and at least every ping interval.
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let forwarder = Task {
            for await _ in changes { wake.yield() }
            wake.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.pingInterval)
                wake.yield()
            }
        }
        // A proxy that goes away is noticed when its connection closes, not at the next write.
        closed.whenComplete { _ in wake.finish() }
        defer {
            forwarder.cancel()
            ticker.cancel()
        }
        var lastWrite = ContinuousClock.now
        var iterator = wakeups.makeAsyncIterator()
        repeat {
            if let message = configs.message(for: key, since: sent) {
                try await write(message, encoder: encoder, to: outbound)
                switch message {
                case .config(let config): sent = config.version
                case .endpoints(let update): sent = update.version
                case .ping: break
                }
                lastWrite = .now
            } else if configs.config(for: key) == nil {
                return
            } else if ContinuousClock.now - lastWrite >= Self.pingInterval {
                try await write(.ping, encoder: encoder, to: outbound)
                lastWrite = .now
            }
        } while await iterator.next() != nil
    }

    private func write(_ message: ConfigStreamMessage, encoder: JSONEncoder,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var line = try encoder.encode(message)
        line.append(UInt8(ascii: "\n"))
        let type: String
        switch message {
        case .config: type = "config"
        case .endpoints: type = "endpoints"
        case .ping: type = "ping"
        }
        metrics.configMessages.add(1, type)
        metrics.configBytes.add(Double(line.count), type)
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: line))))
    }

    private func record(_ ack: ConfigAck, key: ProxyKey) {
        metrics.acks.add(1, ack.accepted ? "applied" : "refused")
        if ack.accepted {
            registry.applied(version: ack.version, proxy: ack.pod, for: key)
        } else {
            registry.rejected(version: ack.version, message: ack.error ?? "no reason given", proxy: ack.pod, for: key)
            logger.warning("proxy refused a configuration", metadata: [
                "proxyKey": "\(key)", "pod": "\(ack.pod)", "version": "\(ack.version)", "error": "\(ack.error ?? "")",
            ])
        }
    }

    private func respond(_ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, _ status: HTTPResponseStatus, _ text: String,
                         keepAlive: Bool) async throws {
        try await respond(outbound, status, Array(text.utf8), contentType: "text/plain; charset=utf-8", keepAlive: keepAlive)
    }

    private func respond(_ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, _ status: HTTPResponseStatus, _ body: [UInt8],
                         contentType: String, keepAlive: Bool) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        try await outbound.write(.end(nil))
    }
}

enum ConfigServerError: Error {
    case bodyTooLarge
}
