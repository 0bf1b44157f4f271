import NIOCore
import NIOHTTP1

/// Serves requests on one HTTP/1.x connection or one HTTP/2 stream (behind NIO's HTTP/2→HTTP/1
/// codec), forwarding each to the upstream the router picks.
///
/// On HTTP/1 it is the whole connection after the decoder: pipelining, keep-alive, the header and
/// idle timeouts, answers to malformed requests and the response encoding are all here, so a
/// request part crosses no other handler. The logic lives in two values: `HTTP1ConnectionStateMachine`
/// (the connection) and `ExchangeStateMachine` (one request/response). Confined to its channel's
/// event loop.
final class ProxyRequestHandler: ChannelDuplexHandler, UpstreamResponseSink {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    /// HTTP/2 streams get response parts; an HTTP/1 connection gets bytes (`ByteBuffer`).
    typealias OutboundOut = HTTPServerResponsePart

    private let loop: LoopContext
    private let listener: ListenerRuntime
    private let isHTTP2: Bool
    private var context: ChannelHandlerContext?
    private var machine = ExchangeStateMachine()
    private var downstreamInfo: DownstreamInfo

    // Per-exchange data (reset at each request head).
    private var record = AccessRecord()
    private var keepAlive = true
    private var upstream: UpstreamStreamHandler?
    /// The endpoint this exchange's current attempt counts against (least-request balancing).
    private var upstreamTarget: UpstreamTarget?
    private var upstreamReused = false
    /// Whether the backend's response allows reusing its connection (`Connection: close`, HTTP/1.0).
    private var upstreamKeepAlive = true
    /// Set once a stale keep-alive connection made us resend the request.
    private var retriedOnFreshConnection = false
    private var plan: ForwardPlan?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    /// With a retry policy: the current attempt's deadline (`backendRequest`), then the backoff.
    private var attemptTimer: Scheduled<Void>?
    private var retriesLeft = 0
    /// Numbers leases, so the answer to an abandoned attempt's lease is handed back, not used.
    private var attempt = 0
    private var bodyBytes = 0
    private var requestIsHead = false
    /// An HTTP/1.0 client: answered in 1.0 framing (no chunking; close-delimited when the length
    /// is unknown) and told explicitly when the connection stays open.
    private var clientIsHTTP10 = false
    private var exchangeID = 0
    private var mirrors: [MirrorExchange] = []

    // Backpressure: a client read is held while the upstream cannot take more.
    private var readPending = false
    // Syscall batching: writes are flushed at the end of a read batch, not per part.
    private var upstreamNeedsFlush = false
    private var downstreamNeedsFlush = false

    private let facts: ConnectionFacts

    // HTTP/1 only: the connection's state, the response encoding and the one timer that enforces
    // the header and idle deadlines lazily (re-armed when it fires, not per request).
    private var connection: HTTP1ConnectionStateMachine?
    private var encoder = HTTP1ResponseEncoder()
    private var connectionTimer = LazyTimer()
    private var servingQueued = false
    private static let crlf = ByteBuffer(staticString: "\r\n")

    init(loop: LoopContext, listener: ListenerRuntime, isHTTP2: Bool, facts: ConnectionFacts) {
        self.loop = loop
        self.listener = listener
        self.isHTTP2 = isHTTP2
        self.facts = facts
        self.downstreamInfo = DownstreamInfo(clientAddress: nil, isTLS: listener.isTLS, isHTTP2: isHTTP2)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if !isHTTP2 {
            let machine = HTTP1ConnectionStateMachine(
                headerTimeout: .milliseconds(listener.limits.headerReadTimeoutMilliseconds),
                idleTimeout: .milliseconds(listener.limits.idleTimeoutMilliseconds), now: loop.eventLoop.now)
            connection = machine
            if let deadline = machine.deadline { armConnectionTimer(deadline, context: context) }
        }
        let address = context.channel.remoteAddress ?? context.channel.parent?.remoteAddress
        downstreamInfo.clientAddress = address?.ipAddress
        downstreamInfo.serverName = facts.serverName
        downstreamInfo.localIdentity = facts.localIdentity
        downstreamInfo.peerIdentity = facts.peerIdentity
        downstreamInfo.peerCertificateHash = facts.peerCertificateHash
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Client side

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard connection != nil else { return handle(part, context: context) }
        switch connection!.received(part) {
        case .deliver(let part): handle(part, context: context)
        case .queued, .drop: break
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            receivedHead(head, context: context)
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            record.requestBytes += buffer.readableBytes
            if let limit = plan?.maxRequestBodyBytes, bodyBytes > limit {
                perform(machine.bodyTooLarge())
                return
            }
            mirrorPart(.body(.byteBuffer(buffer)))
            perform(machine.requestPart(.body(.byteBuffer(buffer))))
        case .end(let trailers):
            mirrorPart(.end(trailers))
            perform(machine.requestPart(.end(trailers)))
        }
    }

    /// Request parts are written upstream as they arrive and flushed once per read batch.
    func channelReadComplete(context: ChannelHandlerContext) {
        if upstreamNeedsFlush {
            upstreamNeedsFlush = false
            upstream?.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if shouldHoldReads {
            readPending = true
        } else {
            context.read()
        }
    }

    private var shouldHoldReads: Bool {
        if connection?.holdsReads == true { return true }
        if machine.isBufferingRequestBody { return true }
        if let upstream, !machine.isIdle, !upstream.isWritable { return true }
        return false
    }

    private func resumeReadsIfPossible() {
        guard readPending, !shouldHoldReads, let context else { return }
        readPending = false
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        upstream?.setReadsPaused(!context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The client left: nothing will read the response, so free the upstream stream. Bumping
        // the exchange id makes a lease or timer still pending for it hand back what it gets.
        exchangeID &+= 1
        connection?.closed()
        connectionTimer.cancel()
        if !machine.isIdle { record.status = record.status == 0 ? 499 : record.status }
        dropUpstream()
        cancelTimer()
        if record.started && !record.finished { finishRecord() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard connection != nil, let error = error as? HTTP1ParseError else {
            context.close(promise: nil)
            return
        }
        // The decoder cannot parse what follows: 431 for a head too large, 400 otherwise, saying
        // why, then the connection closes (its byte stream can no longer be trusted).
        let status: HTTPResponseStatus = error == .headTooLarge ? .requestHeaderFieldsTooLarge : .badRequest
        switch connection!.malformedRequest(RequestRejection(status: status, reason: error.description)) {
        case .answer(let rejection): answerMalformed(rejection, context: context)
        case .later, .none: break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if connection != nil, event is ListenerPipeline.DrainEvent, connection!.drain() {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let head = AbsoluteForm.originForm(of: head)
        guard machine.isIdle else {
            // Cannot happen: the connection state machine holds back a head that arrives while an exchange runs.
            context.close(promise: nil)
            return
        }
        exchangeID &+= 1
        bodyBytes = 0
        plan = nil
        upstreamReused = false
        retriedOnFreshConnection = false
        upstreamKeepAlive = true
        requestIsHead = head.method == .HEAD
        clientIsHTTP10 = !isHTTP2 && head.version == .http1_0
        let facts = RequestHeaderFacts(head.headers)
        keepAlive = isHTTP2 || (ConnectionPersistence.persists(version: head.version, close: facts.connectionClose,
                                                                keepAlive: facts.connectionKeepAlive) && !loop.isDraining)
        record = AccessRecord(start: NIODeadline.now(), method: head.method.rawValue, path: head.uri, authority: facts.host ?? "")
        record.started = true
        record.sourcePrincipal = downstreamInfo.peerIdentity
        loop.metrics.requestStarted()

        switch RequestHeadValidator.validate(head, facts: facts, limits: listener.limits, isHTTP2: isHTTP2) {
        case .failure(let rejection):
            answer(LocalResponse(status: rejection.status, body: rejection.reason + "\n"), close: true)
            return
        case .success(let declaredLength):
            let config = loop.currentConfig()
            guard let router = config.routers[listener.name] else {
                answer(LocalResponse(status: .notFound, body: "no route\n"), close: !keepAlive)
                return
            }
            let routePlan = router.plan(for: head, host: facts.host ?? "", info: downstreamInfo, random: loop.random.next())
            record.route = routePlan.routeName
            switch routePlan.outcome {
            case .respond(let response):
                answer(response, close: !keepAlive)
            case .forward(var forward):
                if let limit = forward.maxRequestBodyBytes, let declaredLength, declaredLength > limit {
                    answer(LocalResponse(status: .payloadTooLarge, body: "request body exceeds \(limit) bytes\n"), close: true)
                    return
                }
                record.backend = forward.backendName
                let upstreamFacts = forward.headersEdited ? RequestHeaderFacts(forward.head.headers) : facts
                let requestID = upstreamFacts.requestID ?? RequestID.make(using: &loop.random)
                forward.head = upstreamHead(from: forward.head, facts: upstreamFacts, requestID: requestID, original: facts)
                // No 1xx to a 1.0 client (RFC 9110 §15.2): it would take it for the final answer.
                if !isHTTP2, !clientIsHTTP10, facts.expectsContinue {
                    // Answer the expectation here: the upstream sees a plain request, the client
                    // starts its upload at once instead of waiting for a relayed interim response.
                    forward.head.headers.remove(name: "expect")
                    var interim = context.channel.allocator.buffer(capacity: 32)
                    HTTP1ResponseEncoder.encodeContinue(version: head.version, into: &interim)
                    context.writeAndFlush(NIOAny(interim), promise: nil)
                }
                record.requestID = requestID
                plan = forward
                retriesLeft = forward.retry?.attempts ?? 0
                startMirrors(forward)
                armTimer(forward.requestTimeoutMilliseconds)
                perform(machine.startForwarding(.head(forward.head)))
            }
        }
    }

    /// Applies the proxy's own header rules to the (already filtered) upstream request. `facts`
    /// describe `filtered`'s fields, `original` the client's.
    private func upstreamHead(
        from filtered: HTTPRequestHead, facts: RequestHeaderFacts, requestID: String, original: RequestHeaderFacts
    ) -> HTTPRequestHead {
        var head = filtered
        if head.version != .http1_1 { head.version = .http1_1 }
        let chunked = original.transferEncoding.lastIsChunked
        if facts.hasHopByHop { HopByHopHeaders.strip(&head.headers, keepTrailersTE: true) }
        if chunked || (isHTTP2 && !facts.contentLength.isPresent && head.method != .GET && head.method != .HEAD) {
            head.headers.add(name: "transfer-encoding", value: "chunked")
        }
        ForwardedHeaders.apply(to: &head.headers, facts: facts, originalHost: original.host, info: downstreamInfo, requestID: requestID)
        return head
    }

    // MARK: Upstream side

    private func leaseUpstream() {
        guard let plan else { return }
        let cluster = plan.cluster
        guard let target = loop.pickTarget(cluster) else {
            perform(machine.upstreamUnavailable())
            return
        }
        upstreamTarget = target
        record.upstream = target.endpoint
        target.slot.requestStarted(target.index)
        if plan.retry != nil {
            armAttemptTimer(plan.backendTimeoutMilliseconds)
        } else {
            armTimer(plan.backendTimeoutMilliseconds)
        }
        let id = exchangeID
        attempt &+= 1
        let attempt = self.attempt
        switch cluster.upstreamProtocol {
        case .http1:
            let pool = loop.http1Pool(for: target)
            // The common case, an idle keep-alive connection, is handed over without a callback.
            if !retriedOnFreshConnection, let handler = pool.takeIdle() {
                leased(.success(UpstreamLease(handler: handler, reused: true)), exchange: id, attempt: attempt)
                return
            }
            pool.lease(fresh: retriedOnFreshConnection) { result in self.leased(result, exchange: id, attempt: attempt) }
        case .h2c:
            loop.h2Pool(for: target).lease { result in self.leased(result, exchange: id, attempt: attempt) }
        }
    }

    private func leased(_ result: Result<UpstreamLease, any Error>, exchange id: Int, attempt: Int) {
        guard id == exchangeID, attempt == self.attempt, machine.isAwaitingUpstream else {
            if case .success(let lease) = result { lease.handler.release(reusable: true) }
            return
        }
        switch result {
        case .success(let lease):
            upstream = lease.handler
            upstreamReused = lease.reused
            lease.handler.sink = self
            lease.handler.setReadsPaused(!(context?.channel.isWritable ?? true))
            perform(machine.upstreamLeased())
        case .failure(let error):
            record.upstreamError = "\(error)"
            releaseEndpoint()
            if retryIfAllowed() { return }
            perform(machine.upstreamUnavailable())
        }
    }

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        switch part {
        case .head(let head):
            if head.status.code < 200 { return }  // interim responses are not relayed
            // The access log names a retried attempt's status; a relayed one speaks for itself.
            if let retry = plan?.retry, retry.codes.contains(head.status.code), retryIfAllowed() {
                record.upstreamError = "attempt answered \(head.status.code)"
                return
            }
            upstreamKeepAlive = ConnectionPersistence.persists(version: head.version, headers: head.headers)
            perform(machine.responsePart(.head(head)), responseHead: head)
        case .body(let buffer):
            record.responseBytes += buffer.readableBytes
            perform(machine.responsePart(part), responseBody: buffer)
        case .end(let trailers):
            perform(machine.responsePart(part), trailers: trailers)
        }
    }

    func upstreamFailed(_ error: any Error) {
        record.upstreamError = "\(error)"
        upstream = nil
        releaseEndpoint()
        // Sent again once, on another connection: a request the backend never processed (any
        // method), or an idempotent one a reused keep-alive connection lost in the close race.
        let unprocessed = if case UpstreamError.notProcessed = error { true } else { false }
        if !retriedOnFreshConnection, bodyBytes == 0, let plan, unprocessed || (upstreamReused && Self.isIdempotent(plan.head.method)) {
            retriedOnFreshConnection = true
            perform(machine.retryOnFreshConnection(.head(plan.head)))
            return
        }
        if retryIfAllowed() { return }
        perform(machine.upstreamFailed())
    }

    /// Starts the route's next attempt if its retry policy has one left and the request can be
    /// sent again (no body, fully received, nothing answered yet). The attempt's connection is
    /// dropped, not reused: its response may still be arriving.
    private func retryIfAllowed() -> Bool {
        guard retriesLeft > 0, bodyBytes == 0, let plan, let retry = plan.retry, machine.prepareRetry(.head(plan.head)) else {
            return false
        }
        retriesLeft -= 1
        dropUpstream()
        releaseEndpoint()
        attemptTimer?.cancel()
        attemptTimer = nil
        guard retry.backoffMilliseconds > 0 else {
            leaseUpstream()
            return true
        }
        let id = exchangeID
        attemptTimer = loop.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(retry.backoffMilliseconds)) {
            guard id == self.exchangeID else { return }
            self.attemptTimer = nil
            self.leaseUpstream()
        }
        return true
    }

    /// One attempt's deadline: past it, the next attempt or 504.
    private func armAttemptTimer(_ milliseconds: Int64?) {
        attemptTimer?.cancel()
        attemptTimer = nil
        guard let milliseconds, milliseconds > 0 else { return }
        let id = exchangeID
        attemptTimer = loop.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) {
            guard id == self.exchangeID else { return }
            self.attemptTimer = nil
            self.record.upstreamError = "attempt timed out"
            if self.retryIfAllowed() { return }
            self.perform(self.machine.timedOut())
        }
    }

    /// RFC 9110 §9.2.2: methods a proxy may resend after a connection failure.
    private static func isIdempotent(_ method: NIOHTTP1.HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .TRACE, .PUT, .DELETE: return true
        default: return false
        }
    }

    func upstreamWritabilityChanged(isWritable: Bool) {
        if isWritable { resumeReadsIfPossible() }
    }

    func upstreamReadComplete() {
        guard downstreamNeedsFlush, let context else { return }
        downstreamNeedsFlush = false
        context.flush()
    }

    // MARK: Actions

    private func perform(
        _ action: ExchangeStateMachine.Action, responseHead: HTTPResponseHead? = nil, responseBody: ByteBuffer? = nil,
        trailers: HTTPHeaders? = nil
    ) {
        guard let context else { return }
        switch action {
        case .none:
            break
        case .leaseUpstream:
            leaseUpstream()
        case .flushToUpstream(let parts):
            guard let upstream else { return }
            for part in parts { upstream.write(part, flush: false) }
            upstream.flush()
            resumeReadsIfPossible()
        case .forwardToUpstream(let part):
            if case .end = part {
                upstream?.write(part, flush: true)
                upstreamNeedsFlush = false
            } else {
                upstream?.write(part, flush: false)
                upstreamNeedsFlush = true
            }
        case .writeResponseHead:
            guard var head = responseHead else { return }
            record.status = Int(head.status.code)
            if isHTTP2 || plan?.responseHeaders.isEmpty == false {
                prepareResponseHead(&head)
                emitHead(head, context: context)
            } else {
                // No filter edits it: the backend's head is written as it is, minus its hop-by-hop fields.
                let framing = responseFraming(for: head)
                var buffer = context.channel.allocator.buffer(capacity: 512)
                encoder.encodeForwardedHead(head, version: framing.version, connection: framing.connection, requestIsHead: requestIsHead,
                                            into: &buffer)
                context.write(NIOAny(buffer), promise: nil)
            }
            downstreamNeedsFlush = true
        case .writeResponseBody:
            guard let body = responseBody else { return }
            emitBody(body, context: context)
            downstreamNeedsFlush = true
            if !context.channel.isWritable { upstream?.setReadsPaused(true) }
        case .writeResponseEnd(let releaseUpstream, let exchangeDone):
            let upstream = self.upstream
            self.upstream = nil
            // A backend that said `Connection: close` is about to close: never hand that connection out again.
            upstream?.release(reusable: releaseUpstream && upstreamKeepAlive)
            releaseEndpoint()
            cancelTimer()
            finishRecord()
            writeEnd(trailers: trailers, exchangeDone: exchangeDone, close: exchangeDone && !keepAlive, context: context)
        case .failWith(let status, let closeConnection, let exchangeDone):
            dropUpstream()
            cancelTimer()
            if status == .gatewayTimeout { record.upstreamError = record.upstreamError ?? "timeout" }
            let close = closeConnection || !keepAlive
            writeLocal(LocalResponse(status: status, body: "\(status.reasonPhrase)\n"), exchangeDone: exchangeDone, close: close, context: context)
        case .abortConnection:
            dropUpstream()
            cancelTimer()
            if record.status == 0 { record.status = 502 }
            finishRecord()
            context.close(promise: nil)
        case .exchangeDone(let closeConnection):
            let close = closeConnection || !keepAlive
            guard connection != nil else {
                if close { context.close(promise: nil) }
                return resumeReadsIfPossible()
            }
            switch connection!.exchangeFinished(closeConnection: close, now: loop.eventLoop.now) {
            case .close: closeAfterPendingWrites(context: context)
            case .continueServing:
                serveQueued(context: context)
                resumeReadsIfPossible()
            }
        }
    }

    /// The backend's head, edited: hop-by-hop fields out, the route's response filters applied,
    /// the version and `Connection` the client gets.
    private func prepareResponseHead(_ head: inout HTTPResponseHead) {
        HopByHopHeaders.strip(&head.headers, keepTrailersTE: false)
        for filter in plan?.responseHeaders ?? [] { filter.apply(to: &head.headers) }
        let framing = responseFraming(for: head)
        // Assigned only when it differs: a write copies a head whose storage is still shared.
        if head.version != framing.version { head.version = framing.version }
        if let connection = framing.connection { head.headers.replaceOrAdd(name: "connection", value: connection) }
    }

    /// The version a response goes out in and the `Connection` value it carries (nil: none), and
    /// whether the connection stays open after it.
    private func responseFraming(for head: HTTPResponseHead) -> (version: HTTPVersion, connection: String?) {
        // Draining began while this request was in flight: tell the client this is the last response.
        if loop.isDraining && !isHTTP2 { keepAlive = false }
        var version = HTTPVersion.http1_1
        if clientIsHTTP10 {
            // RFC 9112 §6.1/§7: a 1.0 client cannot read chunked framing. A body of unknown length
            // is sent as is and ends with the connection.
            version = .http1_0
            let bodyless = requestIsHead || head.status == .noContent || head.status == .notModified || head.status.code < 200
            if !bodyless && !head.headers.contains(name: "content-length") { keepAlive = false }
        }
        if !keepAlive && !isHTTP2 { return (version, "close") }
        // A 1.0 connection persists only when the server says so (RFC 9112 §9.3).
        if clientIsHTTP10 { return (version, "keep-alive") }
        return (version, nil)
    }

    /// Ends the response. When that also ends the exchange, an HTTP/1 connection goes on with a
    /// pipelined request, waits for the next one, or closes once everything written has gone out.
    private func writeEnd(trailers: HTTPHeaders?, exchangeDone: Bool, close: Bool, context: ChannelHandlerContext) {
        downstreamNeedsFlush = false
        var closeAfter = close
        var serveNext = false
        if exchangeDone, connection != nil {
            switch connection!.exchangeFinished(closeConnection: close, now: loop.eventLoop.now) {
            case .close: closeAfter = true
            case .continueServing: serveNext = true
            }
        }
        if closeAfter {
            let written = context.eventLoop.makePromise(of: Void.self)
            emitEnd(trailers, promise: written, context: context)
            context.flush()
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            emitEnd(trailers, promise: nil, context: context)
            context.flush()
            if serveNext { serveQueued(context: context) }
            resumeReadsIfPossible()
        }
    }

    /// Answers without an upstream (rejections, no route, redirects).
    private func answer(_ response: LocalResponse, close: Bool) {
        guard let context else { return }
        machine.answerLocally(closeAfter: close || !keepAlive)
        writeLocal(response, exchangeDone: false, close: close || !keepAlive, context: context)
    }

    private func writeLocal(_ response: LocalResponse, exchangeDone: Bool, close: Bool, context: ChannelHandlerContext) {
        var headers = response.headers
        headers.replaceOrAdd(name: "content-length", value: String(response.body.utf8.count))
        if !response.body.isEmpty && !headers.contains(name: "content-type") {
            headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        }
        if close && !isHTTP2 {
            headers.replaceOrAdd(name: "connection", value: "close")
        } else if clientIsHTTP10 {
            headers.replaceOrAdd(name: "connection", value: "keep-alive")
        }
        record.status = Int(response.status.code)
        finishRecord()
        let version: HTTPVersion = clientIsHTTP10 ? .http1_0 : .http1_1
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        let body = requestIsHead ? "" : response.body
        if isHTTP2 {
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil) }
        } else {
            // Head and body in one buffer: one write.
            var buffer = context.channel.allocator.buffer(capacity: 256 + body.utf8.count)
            encoder.encodeHead(head, requestIsHead: requestIsHead, into: &buffer)
            buffer.writeString(body)
            context.write(NIOAny(buffer), promise: nil)
        }
        writeEnd(trailers: nil, exchangeDone: exchangeDone, close: close, context: context)
    }

    // MARK: Response output (HTTP/1 bytes, or parts for an HTTP/2 stream)

    private func emitHead(_ head: HTTPResponseHead, context: ChannelHandlerContext) {
        guard !isHTTP2 else { return context.write(wrapOutboundOut(.head(head)), promise: nil) }
        var buffer = context.channel.allocator.buffer(capacity: 512)
        encoder.encodeHead(head, requestIsHead: requestIsHead, into: &buffer)
        context.write(NIOAny(buffer), promise: nil)
    }

    private func emitBody(_ body: ByteBuffer, context: ChannelHandlerContext) {
        guard !isHTTP2 else { return context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        switch encoder.bodyFraming(for: body) {
        case .skip:
            return
        case .asIs:
            context.write(NIOAny(body), promise: nil)
        case .chunk:
            var chunk = context.channel.allocator.buffer(capacity: body.readableBytes <= 4096 ? body.readableBytes + 16 : 16)
            encoder.writeChunkSize(of: body, into: &chunk)
            if body.readableBytes <= 4096 {
                // A small chunk is copied: one write instead of three.
                var body = body
                chunk.writeBuffer(&body)
                chunk.writeStaticString("\r\n")
                context.write(NIOAny(chunk), promise: nil)
            } else {
                context.write(NIOAny(chunk), promise: nil)
                context.write(NIOAny(body), promise: nil)
                context.write(NIOAny(Self.crlf), promise: nil)
            }
        }
    }

    private func emitEnd(_ trailers: HTTPHeaders?, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard !isHTTP2 else { return context.write(wrapOutboundOut(.end(trailers)), promise: promise) }
        var buffer = context.channel.allocator.buffer(capacity: 0)
        if encoder.encodeEnd(trailers: trailers, into: &buffer) || promise != nil {
            context.write(NIOAny(buffer), promise: promise)
        }
    }

    /// Closes once what was written has reached the socket (closing at once would drop it).
    private func closeAfterPendingWrites(context: ChannelHandlerContext) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(capacity: 0)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// A request the decoder could not parse, with nothing else in flight: answered, then closed.
    private func answerMalformed(_ rejection: RequestRejection, context: ChannelHandlerContext) {
        let status = rejection.status
        let body = "\(status.code) \(status.reasonPhrase): \(rejection.reason)\n"
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "connection", value: "close")
        var buffer = context.channel.allocator.buffer(capacity: 256)
        encoder.encodeHead(HTTPResponseHead(version: .http1_1, status: status, headers: headers), requestIsHead: false, into: &buffer)
        buffer.writeString(body)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(buffer), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    // MARK: HTTP/1 connection: pipelined requests and the header/idle deadline

    /// Delivers requests that waited behind the exchange that just ended, then arms the idle
    /// deadline if no request is in flight. Re-entered when a delivered request is answered at
    /// once; the outer call keeps going.
    private func serveQueued(context: ChannelHandlerContext) {
        guard !servingQueued, connection != nil else { return }
        servingQueued = true
        defer { servingQueued = false }
        while let item = connection!.nextQueued(now: loop.eventLoop.now) {
            switch item {
            case .part(let part): handle(part, context: context)
            case .malformed(let rejection): answerMalformed(rejection, context: context)
            }
        }
        if let deadline = connection!.deadline { armConnectionTimer(deadline, context: context) }
    }

    /// Under keep-alive traffic a connection schedules about one task per idle-timeout period.
    private func armConnectionTimer(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        if connectionTimer.fires(by: deadline) { return }
        connectionTimer.arm(at: deadline, on: context.eventLoop) {
            self.connectionTimer.fired()
            guard self.connection != nil else { return }
            switch self.connection!.timerFired(now: self.loop.eventLoop.now) {
            case .none: break
            // A client that sent nothing gets no answer; one stuck mid-head cannot be answered
            // reliably behind the decoder either, so both are closed.
            case .close: context.close(promise: nil)
            case .rearm(let next): self.armConnectionTimer(next, context: context)
            }
        }
    }

    // MARK: Timers, bookkeeping

    /// Arms the exchange deadline; a later call only shortens it (the request timeout bounds the backend one).
    private func armTimer(_ milliseconds: Int64?) {
        guard let milliseconds, milliseconds > 0 else { return }
        let deadline = NIODeadline.now() + .milliseconds(milliseconds)
        if let current = timerDeadline, current <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        let id = exchangeID
        timer = loop.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            guard id == self.exchangeID else { return }
            self.timer = nil
            self.timerDeadline = nil
            self.perform(self.machine.timedOut())
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        attemptTimer?.cancel()
        attemptTimer = nil
    }

    private func dropUpstream() {
        if let upstream {
            self.upstream = nil
            upstream.sink = nil
            upstream.release(reusable: false)
        }
        releaseEndpoint()
    }

    private func releaseEndpoint() {
        if let target = upstreamTarget {
            upstreamTarget = nil
            target.slot.requestFinished(target.index)
        }
    }

    private func finishRecord() {
        guard record.started, !record.finished else { return }
        record.finished = true
        let seconds = Double((NIODeadline.now() - record.start).nanoseconds) / 1e9
        loop.metrics.requestFinished(route: record.route, backend: record.backend, status: UInt(max(record.status, 0)), seconds: seconds)
        loop.accessLog?.log(record, durationSeconds: seconds, listener: listener.name)
    }

    // MARK: Mirrors

    private func startMirrors(_ plan: ForwardPlan) {
        mirrors.removeAll()
        for mirror in plan.mirrors {
            if let exchange = MirrorExchange.start(mirror, head: plan.head, loop: loop) { mirrors.append(exchange) }
        }
    }

    private func mirrorPart(_ part: HTTPClientRequestPart) {
        for mirror in mirrors { mirror.send(part) }
        if case .end = part { mirrors.removeAll() }
    }
}
