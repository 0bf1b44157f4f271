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

    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    let settings: Settings
    let connector: ControlPlaneConnector
    let logger: Logger

    public init(settings: Settings, group: any EventLoopGroup, logger: Logger) throws {
        self.settings = settings
        connector = try ControlPlaneConnector(url: settings.url, caFile: settings.caFile, group: group)
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
        let connection = try await connector.connect(idleTimeout: settings.idleTimeout)
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
            let connection = try await connector.connect(idleTimeout: .seconds(10))
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
        try connector.requestHead(method: method, uri: uri, tokenFile: settings.tokenFile)
    }
}
