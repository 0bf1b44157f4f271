import NIOCore
import NIOHTTP1

/// Closes HTTP/1 connections that do not deliver a complete request head in time (slowloris) or
/// stay idle between requests too long.
///
/// Sits between the HTTP decoder and the pipelining handler. The clock runs whenever no request
/// is in flight: from connection start, and from the end of each response until the next head.
final class HeaderReadTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// One timer per connection, re-armed lazily: scheduling and cancelling a task per request
    /// would cost more than the request. `deadline` is nil while a request is in flight.
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    private var deadline: NIODeadline?
    private var inFlight = 0
    private var draining = false

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context, timeout: headerTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context, timeout: headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            inFlight += 1
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        inFlight = max(0, inFlight - 1)
        if inFlight == 0 && draining {
            let written = promise ?? context.eventLoop.makePromise()
            context.write(data, promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        if inFlight == 0 { arm(context: context, timeout: idleTimeout) }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ListenerPipeline.DrainEvent {
            draining = true
            if inFlight == 0 { context.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func arm(context: ChannelHandlerContext, timeout: TimeAmount) {
        let newDeadline = NIODeadline.now() + timeout
        deadline = newDeadline
        // A pending timer that fires no later than the new deadline re-arms itself when it fires.
        if let firesAt = timerFiresAt, firesAt <= newDeadline { return }
        schedule(context: context, at: newDeadline)
    }

    private func schedule(context: ChannelHandlerContext, at fireTime: NIODeadline) {
        timer?.cancel()
        timerFiresAt = fireTime
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: fireTime) {
            self.timer = nil
            self.timerFiresAt = nil
            // A request in flight: the clock restarts when its response ends.
            guard self.inFlight == 0, let deadline = self.deadline else { return }
            if deadline <= NIODeadline.now() {
                // A client that sent nothing gets no answer; one stuck mid-head cannot be answered
                // reliably behind the decoder either, so both are closed.
                context.close(promise: nil)
            } else {
                self.schedule(context: context, at: deadline)
            }
        }
    }
}
