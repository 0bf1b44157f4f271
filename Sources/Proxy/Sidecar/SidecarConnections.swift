import NIOCore
import NIOSSL
import NIOTLS
import ProxyConfig

/// What a sidecar does with a connection iptables redirected to it.
enum SidecarConnections {
    static let detectionTimeout = TimeAmount.seconds(1)
    static let handshakeTimeout = TimeAmount.seconds(10)
    static let connectTimeout = TimeAmount.seconds(5)

    /// Outbound: the original destination picks a mesh Service port, whose HTTP is routed and
    /// whose other bytes are relayed over mTLS; any other destination passes through unchanged.
    static func outbound(_ channel: any Channel, loop: LoopContext) throws {
        let metrics = loop.metrics
        guard let destination = OriginalDestination.read(channel), let ip = destination.ipAddress, let port = destination.port else {
            metrics.sidecarConnection(.outbound, .failed)
            throw ChannelError.ioOnClosedChannel
        }
        let config = loop.currentConfig()
        guard let routing = config.sidecar else { throw ChannelError.ioOnClosedChannel }
        // Not redirected (someone connected to the capture port itself): relaying it would loop.
        if port == routing.outboundPort, destination == channel.localAddress { throw ChannelError.ioOnClosedChannel }
        guard let entry = routing.service(at: destination) else {
            metrics.sidecarConnection(.outbound, .passthrough)
            loop.connectionOpened(channel)
            try TCPRelay.start(from: channel, to: UpstreamEndpoint(host: ip, port: port), security: nil,
                               connectTimeout: connectTimeout, metrics: metrics)
            return
        }
        switch entry.protocol {
        case .http:
            metrics.sidecarConnection(.outbound, .http)
            try ListenerPipeline.initialize(channel: channel, loop: loop, listenerName: entry.listener, tls: nil)
        case .tcp:
            try relay(channel, to: entry, config: config, loop: loop)
        case .detect:
            let sniffer = ConnectionSniffer<OutboundProtocol>(
                timeout: detectionTimeout, onSilence: .tcp, decide: OutboundProtocol.decide
            ) { choice, context in
                switch choice {
                case .http:
                    metrics.sidecarConnection(.outbound, .http)
                    try ListenerPipeline.initialize(channel: context.channel, loop: loop, listenerName: entry.listener, tls: nil)
                case .tcp:
                    try relay(context.channel, to: entry, config: loop.currentConfig(), loop: loop)
                }
            }
            try channel.pipeline.syncOperations.addHandler(sniffer)
        }
    }

    /// Mesh mTLS in: the workload certificate out, a workload of the trust domain required, then
    /// the plaintext to the app.
    private static func terminateMeshTLS(_ channel: any Channel, relayTo app: UpstreamEndpoint, loop: LoopContext) throws {
        guard let identity = loop.identity, let snapshot = identity.current else {
            loop.metrics.sidecarConnection(.inbound, .failed)
            throw ChannelError.ioOnClosedChannel
        }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(NIOSSLServerHandler(context: snapshot.serverContext))
        try sync.addHandler(PeerIdentityVerifier(trustDomain: identity.trustDomain, allowed: [], direction: .downstream,
                                                 identity: identity, eventLoop: channel.eventLoop, handshakeTimeout: handshakeTimeout))
        loop.metrics.sidecarConnection(.inbound, .mtls)
        try TCPRelay.start(from: channel, to: app, security: nil, connectTimeout: connectTimeout, metrics: loop.metrics)
    }

    /// Opaque TCP to one endpoint of the Service port's backend, over mTLS when it is meshed.
    private static func relay(_ channel: any Channel, to entry: MeshServicePort, config: ActiveConfig, loop: LoopContext) throws {
        guard let cluster = config.clusters[entry.backend], let endpoint = loop.pickEndpoint(cluster) else {
            loop.metrics.sidecarConnection(.outbound, .failed)
            throw ChannelError.ioOnClosedChannel
        }
        let security = try cluster.pool.mesh.map {
            try MeshConnectionSecurity(settings: $0, identity: loop.identity, http2: false, handshakeTimeout: handshakeTimeout)
        }
        loop.metrics.sidecarConnection(.outbound, .tcp)
        loop.connectionOpened(channel)
        try TCPRelay.start(from: channel, to: endpoint, security: security, connectTimeout: connectTimeout, metrics: loop.metrics)
    }

    /// Inbound: mutual TLS from a workload of the mesh is terminated, its identity checked, and
    /// relayed to the app on the port the client asked for; plaintext is relayed under
    /// PERMISSIVE and closed under STRICT.
    static func inbound(_ channel: any Channel, loop: LoopContext, podLabels: [String: String]) throws {
        let metrics = loop.metrics
        guard let destination = OriginalDestination.read(channel), let ip = destination.ipAddress, let port = destination.port,
              let routing = loop.currentConfig().sidecar else {
            metrics.sidecarConnection(.inbound, .failed)
            throw ChannelError.ioOnClosedChannel
        }
        if port == routing.inboundPort, destination == channel.localAddress { throw ChannelError.ioOnClosedChannel }
        // To the app over loopback: `causeway init` sends the proxy's own connections to the pod
        // IP back to this port (that is how a pod reaches itself through its Service), so the
        // pod IP would loop. Apps must listen on all addresses or on loopback.
        let app = UpstreamEndpoint(host: ip.contains(":") ? "::1" : "127.0.0.1", port: port)
        let mode = routing.inbound.mode(forLabels: podLabels)
        loop.connectionOpened(channel)
        let sniffer = ConnectionSniffer<InboundTransport>(
            timeout: detectionTimeout, onSilence: .plaintext, decide: InboundTransport.decide
        ) { transport, context in
            let channel = context.channel
            switch transport {
            case .tls where mode == .strict:
                try terminateMeshTLS(channel, relayTo: app, loop: loop)
            case .tls:
                // PERMISSIVE: only our sidecars' SNI means mesh mTLS; other TLS is the client's own,
                // for the app, and goes through untouched like any plaintext.
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SNIHandler { result in
                    channel.eventLoop.makeCompletedFuture {
                        if case .hostname(let name) = result, name == MeshUpstreamTLS.meshServerName {
                            try terminateMeshTLS(channel, relayTo: app, loop: loop)
                        } else {
                            metrics.sidecarConnection(.inbound, .plaintext)
                            try TCPRelay.start(from: channel, to: app, security: nil, connectTimeout: connectTimeout, metrics: metrics)
                        }
                    }
                }))
            case .plaintext:
                guard mode == .permissive else {
                    metrics.sidecarConnection(.inbound, .refusedPlaintext)
                    throw ChannelError.ioOnClosedChannel
                }
                metrics.sidecarConnection(.inbound, .plaintext)
                try TCPRelay.start(from: channel, to: app, security: nil, connectTimeout: connectTimeout, metrics: metrics)
            }
        }
        try channel.pipeline.syncOperations.addHandler(sniffer)
    }
}
