import NIOCore
import NIOHTTP1

/// The last handler of an upstream HTTP/1.1 connection or HTTP/2 stream channel.
///
/// It hands response parts to the current sink and lets the downstream side throttle reads,
/// so a slow client slows the backend instead of filling memory.
final class UpstreamStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The exchange this stream serves. A strong reference, cleared when the exchange ends or the
    /// channel closes: weak references would force slow-path reference counting on the hot path.
    var sink: (any UpstreamResponseSink)?
    /// Called once when the channel goes away (the pool forgets the connection).
    var onClose: (() -> Void)?
    /// How the owning pool takes the stream back after an exchange; `reusable` is false when
    /// the exchange was cut short or either side asked to close.
    var releaser: ((UpstreamStreamHandler, Bool) -> Void)?
    /// On an HTTP/2 stream: its connection's GOAWAY state, which tells a failure the backend
    /// never processed from one it may have.
    var connectionWatcher: H2ConnectionWatcher?
    private var context: ChannelHandlerContext?
    private var readsPaused = false
    private var readPending = false
    private(set) var isActive = false
    /// Exchanges this connection has carried (pool limit `maxRequestsPerConnection`).
    var exchanges = 0

    var channel: Channel? { context?.channel }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.isActive = context.channel.isActive
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.isActive = true
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = self.unwrapInboundIn(data)
        if let sink {
            sink.upstreamReceived(part)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        sink?.upstreamReadComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isActive = false
        let sink = self.sink
        self.sink = nil
        sink?.upstreamFailed(UpstreamError.connectionClosed)
        let onClose = self.onClose
        self.onClose = nil
        onClose?()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let sink = self.sink
        self.sink = nil
        if let connectionWatcher, connectionWatcher.unprocessed(error) {
            sink?.upstreamFailed(UpstreamError.notProcessed("\(error)"))
        } else {
            sink?.upstreamFailed(error)
        }
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        sink?.upstreamWritabilityChanged(isWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func write(_ part: HTTPClientRequestPart, flush: Bool) {
        guard let context else { return }
        context.write(self.wrapOutboundOut(part), promise: nil)
        if flush { context.flush() }
    }

    func flush() {
        context?.flush()
    }

    /// Downstream backpressure: stop pulling response bytes until the client catches up.
    func setReadsPaused(_ paused: Bool) {
        guard paused != readsPaused else { return }
        readsPaused = paused
        if !paused && readPending, let context {
            readPending = false
            context.read()
        }
    }

    func release(reusable: Bool) {
        let releaser = self.releaser
        if let releaser { releaser(self, reusable) } else { close() }
    }

    func close() {
        context?.close(promise: nil)
    }
}
