import Foundation
import NIOCore
import NIOPosix
import NIOHTTP1
import NIOSSL
import Logging

/// The listening side of DevCluster: HTTP/1.1 over TLS (client certificates optional, verified
/// against the DevCluster CA) or, when asked, plain HTTP.
public final class DevClusterServer: Sendable {
    public let port: Int
    public let host: String
    public let usesTLS: Bool
    private let channel: any Channel

    private init(channel: any Channel, host: String, port: Int, usesTLS: Bool) {
        self.channel = channel
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    public var url: String { "\(usesTLS ? "https" : "http")://\(host):\(port)" }

    static func bind(host: String, port: Int, apiServer: APIServer, pki: DevClusterPKI?,
                     requireAuthentication: Bool, limits: ConnectionLimits = ConnectionLimits(),
                     group: any EventLoopGroup) async throws -> DevClusterServer {
        var sslContext: NIOSSLContext?
        if let pki {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(pki.servingCertificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pki.servingKeyPEM.utf8), format: .pem)))
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.caCertificatePEM.utf8)))
            configuration.applicationProtocols = ["http/1.1"]
            sslContext = try NIOSSLContext(configuration: configuration)
        }
        let authenticator = Authenticator(tokens: apiServer.tokens, required: requireAuthentication)
        let address = "\(host)"
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [sslContext, limits] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        APIChannelHandler(server: apiServer, authenticator: authenticator, serverAddress: address, limits: limits))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        return DevClusterServer(channel: channel, host: host, port: boundPort, usesTLS: pki != nil)
    }

    public func close() async {
        try? await channel.close()
    }
}
