import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ProxyConfig

/// A proxy's connection to the control plane: one long-lived HTTPS stream of configuration
/// messages (`ConfigStreamMessage`, one JSON line each) and a short request per acknowledgement.
/// It reconnects with jittered backoff whenever the stream ends; the proxy keeps serving what it
/// has meanwhile. The service-account token is read from its file for every connection, so a
/// rotated projected token is always the one sent.
public final class ControlPlaneClient: Sendable {
    public struct Settings: Sendable {
        /// `https://host:port` (or `http://` for tests without TLS).
        public var url: String
        public var proxyKey: String
        public var pod: String
        public var tokenFile: String?
        public var caFile: String?
        /// A silent stream (no message, not even a ping) for this long is taken as dead.
        public var idleTimeout: TimeAmount

        public init(url: String, proxyKey: String, pod: String, tokenFile: String?, caFile: String?, idleTimeout: TimeAmount = .seconds(45)) {
            self.url = url
            self.proxyKey = proxyKey
            self.pod = pod
            self.tokenFile = tokenFile
            self.caFile = caFile
            self.idleTimeout = idleTimeout
        }
    }

    struct Endpoint: Sendable {
        var tls: Bool
        var host: String
        var port: Int

        init(_ url: String) throws {
            guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else {
                throw ControlPlaneError("control-plane URL \(url) is not of the form https://host:port")
            }
            tls = scheme == "https"
            guard tls || scheme == "http" else { throw ControlPlaneError("control-plane URL scheme must be https or http, got \(scheme)") }
            self.host = host
            port = components.port ?? (tls ? 443 : 80)
        }
    }

    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    let settings: Settings
    let endpoint: Endpoint
    let group: any EventLoopGroup
    let logger: Logger

    public init(settings: Settings, group: any EventLoopGroup, logger: Logger) throws {
        self.settings = settings
        endpoint = try Endpoint(settings.url)
        self.group = group
        self.logger = logger
    }

    /// Streams until the calling task is cancelled, handing each message to `handle` (which
    /// returns the acknowledgement to send, if any).
    public func run(_ handle: @escaping @Sendable (ConfigStreamMessage) async -> ConfigAck?) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await streamOnce { message in
                    failures = 0
                    if let ack = await handle(message) { await self.send(ack) }
                }
                logger.warning("configuration stream ended; reconnecting")
            } catch {
                if Task.isCancelled { return }
                logger.warning("configuration stream failed; reconnecting", metadata: ["error": "\(error)", "attempt": "\(failures + 1)"])
            }
            failures += 1
            // 0.5 s doubling to 30 s, with full jitter, so a fleet does not return in lockstep.
            let base = min(30.0, 0.5 * pow(2, Double(min(failures - 1, 6))))
            try? await Task.sleep(for: .seconds(base * (0.5 + Double.random(in: 0..<0.5))))
        }
    }

    private func streamOnce(_ deliver: (ConfigStreamMessage) async -> Void) async throws {
        let connection = try await connect(idleTimeout: settings.idleTimeout)
        try await connection.executeThenClose { inbound, outbound in
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "proxyKey", value: settings.proxyKey), URLQueryItem(name: "pod", value: settings.pod)]
            try await outbound.write(.head(try requestHead(method: .GET, uri: ConfigProtocol.streamPath + "?" + (query.percentEncodedQuery ?? ""))))
            try await outbound.write(.end(nil))
            var lines = LineBuffer()
            let decoder = JSONDecoder()
            for try await part in inbound {
                switch part {
                case .head(let head):
                    guard head.status == .ok else { throw ControlPlaneError("control plane answered \(head.status.code) \(head.status.reasonPhrase)") }
                case .body(let buffer):
                    for line in lines.append(buffer) where !line.isEmpty {
                        let message = try decoder.decode(ConfigStreamMessage.self, from: Data(line))
                        await deliver(message)
                    }
                case .end:
                    return
                }
            }
        }
    }

    /// Sends one acknowledgement; failures are logged (the next version is acknowledged anyway).
    func send(_ ack: ConfigAck) async {
        do {
            let connection = try await connect(idleTimeout: .seconds(10))
            try await connection.executeThenClose { inbound, outbound in
                let body = try JSONEncoder().encode(ack)
                var head = try requestHead(method: .POST, uri: ConfigProtocol.ackPath)
                head.headers.add(name: "content-type", value: "application/json")
                head.headers.add(name: "content-length", value: String(body.count))
                head.headers.replaceOrAdd(name: "connection", value: "close")
                try await outbound.write(.head(head))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                try await outbound.write(.end(nil))
                for try await part in inbound {
                    if case .head(let response) = part, response.status != .noContent {
                        logger.warning("acknowledgement refused", metadata: ["status": "\(response.status.code)"])
                    }
                    if case .end = part { return }
                }
            }
        } catch {
            logger.warning("could not send an acknowledgement", metadata: ["version": "\(ack.version)", "error": "\(error)"])
        }
    }

    private func requestHead(method: NIOHTTP1.HTTPMethod, uri: String) throws -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "host", value: "\(endpoint.host):\(endpoint.port)")
        head.headers.add(name: "user-agent", value: "causeway-proxy")
        if let tokenFile = settings.tokenFile {
            let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            head.headers.add(name: "authorization", value: "Bearer \(token)")
        }
        return head
    }

    private func connect(idleTimeout: TimeAmount) async throws -> Connection {
        let tlsContext = try endpoint.tls ? makeTLSContext() : nil
        let serverName = endpoint.host.contains(":") || endpoint.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : endpoint.host
        return try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(CloseOnIdle())
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        configuration.minimumTLSVersion = .tlsv12
        // A stream closed by this side (shutdown, reconnect) need not wait the default 5 s for
        // the server's close_notify: the server is mid-stream and does not read to answer it,
        // and a proxy on its way out would keep its pod terminating that long for nothing.
        configuration.shutdownTimeout = .milliseconds(200)
        return try NIOSSLContext(configuration: configuration)
    }
}

/// Closes a connection that has been silent past its read timeout.
private final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Splits a byte stream into lines.
struct LineBuffer {
    private var pending: [UInt8] = []

    mutating func append(_ buffer: ByteBuffer) -> [[UInt8]] {
        pending.append(contentsOf: buffer.readableBytesView)
        var lines: [[UInt8]] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(Array(pending[start..<newline]))
            start = newline + 1
        }
        pending.removeFirst(start)
        return lines
    }
}

public struct ControlPlaneError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
