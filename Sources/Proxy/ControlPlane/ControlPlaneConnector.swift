import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// How a proxy reaches the controller: HTTPS (trusting the control plane's CA) or plain HTTP in
/// tests, with the service-account token read from its file for every request, so a rotated
/// projected token is always the one sent. The configuration stream and the mesh CA client share it.
struct ControlPlaneConnector: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

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

    let endpoint: Endpoint
    let caFile: String?
    let group: any EventLoopGroup

    init(url: String, caFile: String?, group: any EventLoopGroup) throws {
        endpoint = try Endpoint(url)
        self.caFile = caFile
        self.group = group
    }

    func requestHead(method: NIOHTTP1.HTTPMethod, uri: String, tokenFile: String?) throws -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: uri)
        head.headers.add(name: "host", value: "\(endpoint.host):\(endpoint.port)")
        head.headers.add(name: "user-agent", value: "causeway-proxy")
        if let tokenFile {
            let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            head.headers.add(name: "authorization", value: "Bearer \(token)")
        }
        return head
    }

    func connect(idleTimeout: TimeAmount) async throws -> Connection {
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

    /// One request on its own connection; the status and the whole body (up to 1 MiB).
    func exchange(_ head: HTTPRequestHead, body: [UInt8] = [], timeout: TimeAmount = .seconds(10)) async throws -> (HTTPResponseStatus, [UInt8]) {
        var head = head
        if !body.isEmpty || head.method == .POST { head.headers.replaceOrAdd(name: "content-length", value: String(body.count)) }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        let connection = try await connect(idleTimeout: timeout)
        return try await connection.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head))
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = HTTPResponseStatus.badGateway
            var received: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let response): status = response.status
                case .body(let buffer):
                    guard received.count + buffer.readableBytes <= 1 << 20 else { throw ControlPlaneError("answer larger than 1 MiB") }
                    received.append(contentsOf: buffer.readableBytesView)
                case .end: return (status, received)
                }
            }
            throw ControlPlaneError("the control plane closed the connection mid-answer")
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
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
