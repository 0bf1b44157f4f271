import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import ProxyConfig

/// Builds the per-connection pipelines of a listener: HTTP/1.1, HTTP/2 (TLS+ALPN or h2c prior
/// knowledge), with the limits the listener's config sets.
enum ListenerPipeline {
    /// Sent down a connection's pipeline when the proxy starts draining.
    struct DrainEvent {}

    static func initialize(channel: Channel, loop: LoopContext, listenerName: String, tls: NIOSSLContext?) throws {
        let config = loop.currentConfig()
        guard let listener = config.source.listeners.first(where: { $0.name == listenerName }) else {
            throw ChannelError.ioOnClosedChannel
        }
        let runtime = ListenerRuntime(name: listenerName, limits: RequestLimits(listener.limits), isTLS: tls != nil)
        let sync = channel.pipeline.syncOperations
        loop.connectionOpened(channel)
        if let tls {
            try sync.addHandler(NIOSSLServerHandler(context: tls))
            let loopBound = NIOLoopBound(loop, eventLoop: channel.eventLoop)
            channel.configureHTTP2SecureUpgrade(
                h2ChannelConfigurator: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try configureHTTP2(channel.pipeline.syncOperations, channel: channel, loop: loopBound.value, listener: runtime, limits: listener.limits)
                    }
                },
                http1ChannelConfigurator: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try configureHTTP1(channel.pipeline.syncOperations, loop: loopBound.value, listener: runtime)
                    }
                }
            ).whenFailure { _ in channel.close(promise: nil) }
        } else {
            let limits = listener.limits
            try sync.addHandler(HTTPProtocolSniffer { choice, context in
                switch choice {
                case .http1: try configureHTTP1(context.pipeline.syncOperations, loop: loop, listener: runtime)
                case .http2:
                    try configureHTTP2(context.pipeline.syncOperations, channel: context.channel, loop: loop, listener: runtime, limits: limits)
                }
            })
        }
    }

    static func configureHTTP1(_ sync: ChannelPipeline.SynchronousOperations, loop: LoopContext, listener: ListenerRuntime) throws {
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = listener.limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldSize = listener.limits.maxHeaderBytes
        decoderLimits.maxHeaderFieldCount = listener.limits.maxHeaderCount + 1
        try sync.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: true,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: decoderLimits)
        let pipelining = try sync.handler(type: HTTPServerPipelineHandler.self)
        try sync.addHandler(
            HeaderReadTimeoutHandler(
                headerTimeout: .milliseconds(listener.limits.headerReadTimeoutMilliseconds),
                idleTimeout: .milliseconds(listener.limits.idleTimeoutMilliseconds)),
            position: .before(pipelining))
        try sync.addHandler(HTTPDecodeErrorResponder())
        try sync.addHandler(ProxyRequestHandler(loop: loop, listener: listener, isHTTP2: false))
    }

    static func configureHTTP2(
        _ sync: ChannelPipeline.SynchronousOperations, channel: Channel, loop: LoopContext, listener: ListenerRuntime, limits: ListenerLimits
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
        let loopBound = NIOLoopBound(loop, eventLoop: channel.eventLoop)
        _ = try sync.configureHTTP2Pipeline(mode: .server, connectionConfiguration: connection, streamConfiguration: stream) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers([
                    HTTP2FramePayloadToHTTP1ServerCodec(),
                    ProxyRequestHandler(loop: loopBound.value, listener: listener, isHTTP2: true),
                ])
            }
        }
        try sync.addHandler(HTTP2DrainHandler())
    }
}

/// On drain, tells an HTTP/2 client to open no new streams (GOAWAY); streams in flight finish.
final class HTTP2DrainHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ListenerPipeline.DrainEvent {
            let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .maxID, errorCode: .noError, opaqueData: nil))
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension RequestLimits {
    init(_ limits: ListenerLimits) {
        self.init(
            maxURILength: limits.maxRequestHeaderBytes,
            maxHeaderBytes: limits.maxRequestHeaderBytes,
            maxHeaderCount: limits.maxRequestHeaderCount,
            maxBodyBytes: limits.maxRequestBodyBytes,
            headerReadTimeoutMilliseconds: limits.headerReadTimeout?.milliseconds ?? 3_600_000,
            idleTimeoutMilliseconds: limits.idleTimeout?.milliseconds ?? 3_600_000)
    }
}
