import NIOCore
import NIOPosix

/// Relays an accepted connection to a destination as opaque bytes, over mesh mTLS when the
/// destination is a sidecar (`security`), in plain text otherwise.
enum TCPRelay {
    /// Adds the downstream half now (it keeps what arrives meanwhile) and connects; a failed
    /// connect or peer check closes the downstream connection.
    static func start(from downstream: any Channel, to destination: UpstreamEndpoint, security: MeshConnectionSecurity?,
                      connectTimeout: TimeAmount, metrics: MetricsShard) throws {
        let (near, far) = RelayHandler.pair()
        try downstream.pipeline.syncOperations.addHandler(near)
        let eventLoop = downstream.eventLoop
        let farBound = NIOLoopBound(far, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try security?.addHandlers(to: channel) }
            }
            .connect(host: destination.host, port: destination.port)
            .flatMap { channel in MeshConnectionSecurity.verified(channel, eventLoop: eventLoop) }
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let upstream):
                    metrics.upstreamConnectionOpened()
                    upstream.closeFuture.assumeIsolated().whenComplete { _ in metrics.upstreamConnectionClosed() }
                    do {
                        try upstream.pipeline.syncOperations.addHandler(farBound.value)
                    } catch {
                        upstream.close(promise: nil)
                        downstream.close(promise: nil)
                        return
                    }
                    // The downstream may have gone while connecting.
                    if !downstream.isActive { upstream.close(promise: nil) }
                case .failure:
                    downstream.close(promise: nil)
                }
            }
    }
}
