import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import NIOTLS
import ProxyConfig
import WorkloadCA

/// Builds the per-connection pipelines of a listener: HTTP/1.1, HTTP/2 (TLS+ALPN or h2c prior
/// knowledge), with the limits the listener's config sets.
enum ListenerPipeline {
    /// Sent down a connection's pipeline when the proxy starts draining.
    struct DrainEvent {}

    static func initialize(channel: Channel, loop: LoopContext, listenerName: String, tls: NIOSSLContext?, mesh: MeshPeer? = nil) throws {
        let config = loop.currentConfig()
        guard let listener = config.listenersByName[listenerName] else {
            throw ChannelError.ioOnClosedChannel
        }
        let runtime = ListenerRuntime(name: listenerName, limits: RequestLimits(listener.limits), isTLS: tls != nil)
        let sync = channel.pipeline.syncOperations
        loop.connectionOpened(channel)
        let facts = ConnectionFacts()
        if let tls {
            // Read the SNI from the ClientHello first: NIOSSL does not expose it, and routing
            // needs it to refuse requests for another listener's host (421).
            try sync.addHandler(ByteToMessageHandler(SNIHandler { result in
                // A sidecar's mesh SNI names no host: the Host header alone routes its requests.
                if case .hostname(let name) = result, name != MeshUpstreamTLS.meshServerName { facts.serverName = name }
                return channel.eventLoop.makeSucceededVoidFuture()
            }))
            try sync.addHandler(NIOSSLServerHandler(context: tls))
            if let mesh {
                let verifier = PeerIdentityVerifier(trustDomain: mesh.identity.trustDomain, allowed: listener.mtls?.allowedPrincipals ?? [],
                                                    direction: .downstream, identity: mesh.identity, eventLoop: channel.eventLoop,
                                                    handshakeTimeout: .seconds(10))
                try sync.addHandler(verifier)
                facts.localIdentity = mesh.local.uri
                verifier.verified.futureResult.assumeIsolated().whenSuccess { peer in
                    facts.peerIdentity = peer.identity.uri
                    facts.peerCertificateHash = peer.leafHash
                }
            }
            let loopBound = NIOLoopBound(loop, eventLoop: channel.eventLoop)
            let factsBound = NIOLoopBound(facts, eventLoop: channel.eventLoop)
            channel.configureHTTP2SecureUpgrade(
                h2ChannelConfigurator: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try configureHTTP2(
                            channel.pipeline.syncOperations, channel: channel, loop: loopBound.value, listener: runtime,
                            limits: listener.limits, facts: factsBound.value)
                    }
                },
                http1ChannelConfigurator: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try configureHTTP1(channel.pipeline.syncOperations, loop: loopBound.value, listener: runtime, facts: factsBound.value)
                    }
                }
            ).whenFailure { _ in channel.close(promise: nil) }
        } else {
            let limits = listener.limits
            try sync.addHandler(ConnectionSniffer(decide: CleartextHTTPVersion.decide) { choice, context in
                switch choice {
                case .http1: try configureHTTP1(context.pipeline.syncOperations, loop: loop, listener: runtime, facts: facts)
                case .http2:
                    try configureHTTP2(
                        context.pipeline.syncOperations, channel: context.channel, loop: loop, listener: runtime, limits: limits,
                        facts: facts)
                }
            })
        }
    }

    static func configureHTTP1(
        _ sync: ChannelPipeline.SynchronousOperations, loop: LoopContext, listener: ListenerRuntime, facts: ConnectionFacts
    ) throws {
        // Two handlers: the decoder, and the request handler that does everything else (including
        // the response encoding), so a request part is passed on once. One field over the limit
        // still parses, so that the validator can say which limit the request broke.
        try sync.addHandler(DownstreamHTTP1Decoder(maxHeaderBytes: listener.limits.maxHeaderBytes, maxFields: listener.limits.maxHeaderCount + 1))
        try sync.addHandler(ProxyRequestHandler(loop: loop, listener: listener, isHTTP2: false, facts: facts))
    }

    static func configureHTTP2(
        _ sync: ChannelPipeline.SynchronousOperations, channel: Channel, loop: LoopContext, listener: ListenerRuntime,
        limits: ListenerLimits, facts: ConnectionFacts
    ) throws {
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: limits.http2MaxConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: limits.maxRequestHeaderBytes),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        ]
        connection.targetWindowSize = 1 << 24
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = 1 << 20
        // Rapid reset (CVE-2023-44487): a client that resets more than 200 streams in 30 s loses
        // the connection. These are NIO's defaults, spelled out because they are policy.
        stream.streamResetFrameRateLimit.maximumCount = 200
        stream.streamResetFrameRateLimit.windowLength = .seconds(30)
        let loopBound = NIOLoopBound(loop, eventLoop: channel.eventLoop)
        let factsBound = NIOLoopBound(facts, eventLoop: channel.eventLoop)
        try sync.addHandler(FlushCoalescingHandler())
        _ = try sync.configureHTTP2Pipeline(mode: .server, connectionConfiguration: connection, streamConfiguration: stream) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers([
                    HTTP2FramePayloadToHTTP1ServerCodec(),
                    ProxyRequestHandler(loop: loopBound.value, listener: listener, isHTTP2: true, facts: factsBound.value),
                ])
            }
        }
        try sync.addHandler(HTTP2DrainHandler())
    }
}
