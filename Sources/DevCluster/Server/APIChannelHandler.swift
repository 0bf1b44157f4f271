import NIOCore
import NIOHTTP1
import KubeModel

/// One HTTP/1.1 connection to the API: gathers a request (bounded in size and time),
/// authenticates it, hands it to `APIServer`, and writes the answer — or keeps the connection
/// streaming a watch, at the pace the client reads it (`WatchOutbox`).
final class APIChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// Gathering the body into `body`.
        case reading(HTTPRequestHead)
        case discarding(HTTPRequestHead)
        case watching(UInt64, WatchPlan)
        /// Answered early (a request that took too long): nothing more is read.
        case closing
    }

    /// kube-apiserver's answer to a request that outlives `--request-timeout`.
    static let requestTimedOut = APIStatus(
        message: "Timeout: request did not complete within requested timeout - context deadline exceeded",
        reason: "Timeout", details: APIStatus.Details(), code: 504)

    private let server: APIServer
    private let authenticator: Authenticator
    private let serverAddress: String
    private let limits: ConnectionLimits
    private var state = State.idle
    /// Kept outside `State` so appending a chunk mutates the only reference: a buffer inside the
    /// enum would be copied on every chunk (quadratic in the body's size).
    private var body = ByteBuffer()
    private var requestTimer: Scheduled<Void>?
    private var outbox: WatchOutbox
    /// The watch has ended (its timeout, an expiry): once the outbox drains, the response ends.
    private var endsAfterDrain = false
    private var draining = false
    private var user: String?
    private var userResolved = false
    private var timers: [Scheduled<Void>] = []
    private var bookmarkTask: RepeatedTask?
    private var flushScheduled = false
    /// A watch response has begun and not yet ended: only then may events be written.
    private var streamOpen = false

    init(server: APIServer, authenticator: Authenticator, serverAddress: String, limits: ConnectionLimits = ConnectionLimits()) {
        self.server = server
        self.authenticator = authenticator
        self.serverAddress = serverAddress
        self.limits = limits
        outbox = WatchOutbox(limit: limits.watchBufferBytes)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            let declared = head.headers.first(name: "content-length").flatMap(Int.init)
            if let declared, declared > server.options.maxBodyBytes {
                state = .discarding(head)
            } else {
                // Reserve for the declared length, but not more than a little ahead of what has
                // arrived: a client that declares 3 MiB and sends nothing must not cost 3 MiB.
                body = context.channel.allocator.buffer(capacity: min(max(0, declared ?? 0), 64 * 1024))
                state = .reading(head)
            }
        case .body(var chunk):
            guard case .reading(let head) = state else { return }
            if body.readableBytes + chunk.readableBytes > server.options.maxBodyBytes {
                body = ByteBuffer()
                state = .discarding(head)
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            switch state {
            case .discarding(let head):
                cancelRequestTimer()
                state = .idle
                write(context: context, head: head, response: .failure(APIErrors.tooLarge(limit: server.options.maxBodyBytes)), close: true)
            case .reading(let head):
                cancelRequestTimer()
                state = .idle
                let bytes = body.readBytes(length: body.readableBytes) ?? []
                body = ByteBuffer()
                respond(context: context, head: head, body: bytes)
            default:
                break
            }
        }
    }

    /// Only a request still incomplete after a read batch needs a deadline: most arrive whole in
    /// one read, and a timer scheduled and cancelled for each of them costs more than the check.
    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .reading, .discarding:
            if requestTimer == nil { startRequestTimer(context: context) }
        default:
            break
        }
        context.fireChannelReadComplete()
    }

    private func startRequestTimer(context: ChannelHandlerContext) {
        cancelRequestTimer()
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        requestTimer = context.eventLoop.scheduleTask(in: TimeAmount(limits.requestTimeout)) {
            let (handler, context) = bound.value
            handler.requestTimedOut(context: context)
        }
    }

    private func cancelRequestTimer() {
        requestTimer?.cancel()
        requestTimer = nil
    }

    /// The body stopped arriving: answer as kube-apiserver does and close, since the rest of the
    /// request would otherwise be read as the next one.
    private func requestTimedOut(context: ChannelHandlerContext) {
        requestTimer = nil
        switch state {
        case .reading(let head), .discarding(let head):
            state = .closing
            body = ByteBuffer()
            write(context: context, head: head, response: .failure(Self.requestTimedOut), close: true)
        default:
            break
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8]) {
        if !userResolved {
            user = authenticator.certificateUser(context.channel)
            userResolved = true
        }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        var requestUser = user
        if let authorization = headers["authorization"] {
            requestUser = authenticator.tokenUser(authorization)
            if requestUser == nil {
                write(context: context, head: head, response: .failure(APIErrors.unauthorized), close: false)
                return
            }
        }
        if requestUser == nil, authenticator.required {
            write(context: context, head: head, response: .failure(APIErrors.unauthorized), close: false)
            return
        }
        if let failure = server.store.journalFailure, Self.writes(head.method) {
            write(context: context, head: head, response: .failure(APIErrors.internalError(failure)), close: !head.isKeepAlive)
            return
        }
        let (path, query) = APIRequest.splitTarget(head.uri)
        let request = APIRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body, user: requestUser)
        let response = server.handle(request, serverAddress: serverAddress)
        if case .watch(let plan) = response {
            startWatch(context: context, head: head, plan: plan)
        } else {
            write(context: context, head: head, response: response, close: !head.isKeepAlive)
        }
    }

    private static func writes(_ method: HTTPMethod) -> Bool {
        switch method {
        case .POST, .PUT, .PATCH, .DELETE: true
        default: false
        }
    }

    private func write(context: ChannelHandlerContext, head: HTTPRequestHead, response: APIResponse, close: Bool) {
        guard case .body(let status, let contentType, let bytes, let warnings) = response else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(bytes.count))
        headers.add(name: "cache-control", value: "no-cache, private")
        for warning in warnings {
            headers.add(name: "warning", value: "299 - \"\(warning.replacingOccurrences(of: "\"", with: "\\\""))\"")
        }
        if close { headers.add(name: "connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close { done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, plan: WatchPlan) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "transfer-encoding", value: "chunked")
        headers.add(name: "cache-control", value: "no-cache, private")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        streamOpen = true
        endsAfterDrain = false
        outbox = WatchOutbox(limit: limits.watchBufferBytes)
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        // Deliveries arrive under the store's lock, in commit order; encoding happens on this
        // connection's event loop so a slow or large encoding never holds up writers.
        let phase = WatchStartPhase()
        let id = plan.start { delivery in
            let initial = phase.isStarting
            loop.execute {
                let ends: Bool
                if case .expired = delivery { ends = true } else { ends = false }
                let (handler, context) = bound.value
                handler.emit(context: context, bytes: plan.encode(delivery), initial: initial, ends: ends)
            }
        }
        phase.finish()
        guard let id else { return }
        state = .watching(id, plan)
        if let timeout = plan.timeoutSeconds, timeout > 0 {
            timers.append(loop.scheduleTask(in: .seconds(timeout)) {
                let (handler, context) = bound.value
                handler.endWatch(context: context)
            })
        }
        if plan.sendsBookmarks {
            let interval = TimeAmount.seconds(max(1, plan.bookmarkIntervalSeconds))
            bookmarkTask = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                plan.bookmark(id)
            }
        }
    }

    /// - Parameter initial: one of the events the watch starts with, sent at the client's pace
    ///   whatever their size (see `WatchOutbox`).
    private func emit(context: ChannelHandlerContext, bytes: [UInt8], initial: Bool, ends: Bool) {
        // A delivery queued before the watch ended (its timeout, an expiry) must not write after
        // the response's end: that would break HTTP framing on a keep-alive connection.
        guard streamOpen, !endsAfterDrain, context.channel.isActive else { return }
        let line = context.channel.allocator.buffer(bytes: bytes)
        if initial {
            outbox.appendInitial(line)
        } else if outbox.append(line) == .overflow {
            abandonWatch(context: context)
            return
        }
        if ends { endsAfterDrain = true }
        drainOutbox(context: context)
    }

    /// Writes queued events while the connection takes them; the rest wait for
    /// `channelWritabilityChanged`, so a client that reads slowly is never buffered for in NIO.
    private func drainOutbox(context: ChannelHandlerContext) {
        // A flush below can report writability at once, which calls back in here.
        guard !draining else { return }
        draining = true
        defer { draining = false }
        var wrote = false
        while context.channel.isWritable, let line = outbox.popFirst() {
            context.write(wrapOutboundOut(.body(.byteBuffer(line))), promise: nil)
            wrote = true
            if !context.channel.isWritable {
                // Full: hand it to the kernel now rather than after the burst (a large initial
                // state), so a client that reads keeps the connection writable and never
                // overflows an outbox it is keeping up with.
                context.flush()
                wrote = false
            }
        }
        if endsAfterDrain, outbox.isEmpty {
            endWatch(context: context)
            return
        }
        guard wrote, !flushScheduled else { return }
        // Events that arrive together leave in one write: the flush runs after the deliveries
        // already queued on this event loop, so a burst costs one syscall, not one per event.
        flushScheduled = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = bound.value
            handler.flushScheduled = false
            context.flush()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if streamOpen, context.channel.isWritable { drainOutbox(context: context) }
        context.fireChannelWritabilityChanged()
    }

    private func endWatch(context: ChannelHandlerContext) {
        stopWatch()
        guard streamOpen, context.channel.isActive else { return }
        streamOpen = false
        // What is still queued is bounded by the outbox; it goes out before the end.
        while let line = outbox.popFirst() {
            context.write(wrapOutboundOut(.body(.byteBuffer(line))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }

    /// The watcher fell further behind than the outbox holds. As kube-apiserver's cacher does
    /// with a watcher that stops keeping up, the stream is closed (no ERROR event) and what it
    /// held is freed; the client re-watches from its last revision, or relists on 410.
    private func abandonWatch(context: ChannelHandlerContext) {
        stopWatch()
        streamOpen = false
        outbox.removeAll()
        context.close(promise: nil)
    }

    private func stopWatch() {
        if case .watching(let id, let plan) = state { plan.stop(id) }
        if case .watching = state { state = .idle }
        timers.forEach { $0.cancel() }
        timers.removeAll()
        bookmarkTask?.cancel()
        bookmarkTask = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWatch()
        cancelRequestTimer()
        outbox.removeAll()
        body = ByteBuffer()
        state = .closing
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        stopWatch()
        context.close(promise: nil)
    }
}
