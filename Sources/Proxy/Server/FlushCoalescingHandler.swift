import NIOCore

/// Sits right below an HTTP/2 connection's handler and turns the flushes of one event-loop tick
/// into one: the first flush schedules a task that runs after the loop has handled every ready
/// socket, and later flushes in the same tick ride on it.
///
/// A multiplexed connection is flushed once per stream response (downstream) or per request
/// (upstream), and those are written from *other* channels' reads — the backend connections, or
/// the clients — so NIO's own coalescing, which defers flushes made inside the connection's own
/// read to its read-complete, never applies. Without this, ten streams answered in one tick cost
/// ten `write` calls instead of one `writev`.
///
/// Writes pass through at once; only the flush waits, and never past the current tick. A close
/// flushes first, so a GOAWAY written just before it still goes out.
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    private var flushPending = false
    /// Made once per connection: scheduling it allocates no closure per flush.
    private var deferredFlush: (() -> Void)?

    func handlerAdded(context: ChannelHandlerContext) {
        deferredFlush = { [unowned self] in
            guard flushPending else { return }
            flushPending = false
            context.flush()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deferredFlush = nil
        if flushPending {
            flushPending = false
            context.flush()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        guard let deferredFlush else { return context.flush() }
        if flushPending { return }
        flushPending = true
        context.eventLoop.assumeIsolated().execute(deferredFlush)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}
