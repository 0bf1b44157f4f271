import NIOCore
import NIOHTTP1
import KubeModel

/// One HTTP/1.1 connection to the API: gathers a request (bounded), authenticates it, hands it to
/// `APIServer`, and writes the answer — or keeps the connection streaming a watch.
final class APIChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case reading(HTTPRequestHead, ByteBuffer)
        case discarding(HTTPRequestHead)
        case watching(UInt64, WatchPlan)
    }

    private let server: APIServer
    private let authenticator: Authenticator
    private let serverAddress: String
    private var state = State.idle
    private var user: String?
    private var userResolved = false
    private var timers: [Scheduled<Void>] = []
    private var bookmarkTask: RepeatedTask?
    private var flushScheduled = false

    init(server: APIServer, authenticator: Authenticator, serverAddress: String) {
        self.server = server
        self.authenticator = authenticator
        self.serverAddress = serverAddress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > server.options.maxBodyBytes {
                state = .discarding(head)
            } else {
                state = .reading(head, context.channel.allocator.buffer(capacity: 0))
            }
        case .body(var chunk):
            switch state {
            case .reading(let head, var body):
                if body.readableBytes + chunk.readableBytes > server.options.maxBodyBytes {
                    state = .discarding(head)
                } else {
                    body.writeBuffer(&chunk)
                    state = .reading(head, body)
                }
            default:
                break
            }
        case .end:
            switch state {
            case .discarding(let head):
                state = .idle
                write(context: context, head: head, response: .failure(APIErrors.tooLarge(limit: server.options.maxBodyBytes)), close: true)
            case .reading(let head, var body):
                state = .idle
                respond(context: context, head: head, body: body.readBytes(length: body.readableBytes) ?? [])
            default:
                break
            }
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
        let (path, query) = APIRequest.splitTarget(head.uri)
        let request = APIRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body, user: requestUser)
        let response = server.handle(request, serverAddress: serverAddress)
        if case .watch(let plan) = response {
            startWatch(context: context, head: head, plan: plan)
        } else {
            write(context: context, head: head, response: response, close: !head.isKeepAlive)
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
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        // Deliveries arrive under the store's lock, in commit order; encoding happens on this
        // connection's event loop so a slow or large encoding never holds up writers.
        let id = plan.start { delivery in
            loop.execute {
                let ends: Bool
                if case .expired = delivery { ends = true } else { ends = false }
                let (handler, context) = bound.value
                handler.emit(context: context, bytes: plan.encode(delivery), ends: ends)
            }
        }
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

    private func emit(context: ChannelHandlerContext, bytes: [UInt8], ends: Bool) {
        guard context.channel.isActive else { return }
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        if ends {
            endWatch(context: context)
            return
        }
        // Events that arrive together leave in one write: the flush runs after the deliveries
        // already queued on this event loop, so a burst costs one syscall, not one per event.
        guard !flushScheduled else { return }
        flushScheduled = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = bound.value
            handler.flushScheduled = false
            context.flush()
        }
    }

    private func endWatch(context: ChannelHandlerContext) {
        stopWatch()
        guard context.channel.isActive else { return }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }

    private func stopWatch() {
        if case .watching(let id, let plan) = state { plan.stop(id) }
        state = .idle
        timers.forEach { $0.cancel() }
        timers.removeAll()
        bookmarkTask?.cancel()
        bookmarkTask = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWatch()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        stopWatch()
        context.close(promise: nil)
    }
}
