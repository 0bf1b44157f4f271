import NIOCore
import NIOHTTP1
import NIOPosix
import ProxyConfig

/// HTTP/1.1 keep-alive connections to one endpoint, owned by one event loop.
///
/// Every method runs on `eventLoop`; requests on this loop never touch another loop's pool,
/// so no locks are taken and no hops are made per request.
final class HTTP1ConnectionPool {
    typealias LeaseCallback = (Result<UpstreamLease, any Error>) -> Void

    private struct Idle {
        var handler: UpstreamStreamHandler
        var since: NIODeadline
    }

    let endpoint: UpstreamEndpoint
    let eventLoop: any EventLoop
    var settings: PoolSettings
    private let metrics: MetricsShard
    private let identity: WorkloadIdentity?
    /// Most recently released last: leases take the warmest connection, the sweep closes from the front.
    private var idle: [Idle] = []
    /// One timer per pool, not one per idle connection: scheduling and cancelling a task on every
    /// release and lease would cost more than the request.
    private var sweep = LazyTimer()
    private var waiters: [LeaseCallback] = []
    private var openCount = 0
    private var closed = false

    init(endpoint: UpstreamEndpoint, eventLoop: any EventLoop, settings: PoolSettings, metrics: MetricsShard,
         identity: WorkloadIdentity? = nil) {
        self.identity = identity
        self.endpoint = endpoint
        self.eventLoop = eventLoop
        self.settings = settings
        self.metrics = metrics
    }

    var openConnections: Int { openCount }
    var idleConnections: Int { idle.count }

    /// An idle keep-alive connection, if one is open.
    func takeIdle() -> UpstreamStreamHandler? {
        while let entry = idle.popLast() {
            if entry.handler.isActive { return entry.handler }
        }
        return nil
    }

    /// `fresh` skips idle connections (used to resend after a stale keep-alive failed).
    func lease(fresh: Bool = false, _ callback: @escaping LeaseCallback) {
        eventLoop.preconditionInEventLoop()
        if !fresh, let handler = takeIdle() {
            callback(.success(UpstreamLease(handler: handler, reused: true)))
            return
        }
        if closed {
            callback(.failure(UpstreamError.connectionClosed))
        } else if openCount < settings.maxConnectionsPerLoop {
            connect(callback)
        } else if waiters.count < settings.maxPendingPerLoop {
            waiters.append(callback)
        } else {
            callback(.failure(UpstreamError.poolExhausted))
        }
    }

    /// Returns a connection after a complete exchange; `reusable` is false when either side asked to close.
    func release(_ handler: UpstreamStreamHandler, reusable: Bool) {
        eventLoop.preconditionInEventLoop()
        handler.sink = nil
        handler.setReadsPaused(false)
        handler.exchanges += 1
        let spent = settings.maxRequestsPerConnection.map { handler.exchanges >= $0 } ?? false
        guard reusable, handler.isActive, !closed, !spent else {
            handler.close()
            return
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter(.success(UpstreamLease(handler: handler, reused: true)))
            return
        }
        idle.append(Idle(handler: handler, since: .now()))
        let deadline = NIODeadline.now() + .milliseconds(settings.idleTimeoutMilliseconds)
        if !sweep.fires(by: deadline) { scheduleSweep(at: deadline) }
    }

    /// Closes connections idle longer than the timeout, then waits for the oldest of the rest.
    private func scheduleSweep(at deadline: NIODeadline) {
        sweep.arm(at: deadline, on: eventLoop) {
            self.sweep.fired()
            let timeout = TimeAmount.milliseconds(self.settings.idleTimeoutMilliseconds)
            let now = NIODeadline.now()
            var expired = 0
            while expired < self.idle.count, self.idle[expired].since + timeout <= now { expired += 1 }
            let closing = self.idle.prefix(expired).map(\.handler)
            self.idle.removeFirst(expired)
            for handler in closing { handler.close() }
            if let oldest = self.idle.first { self.scheduleSweep(at: oldest.since + timeout) }
        }
    }

    /// Closes idle connections and refuses new leases (config removed this endpoint).
    func shutdown() {
        closed = true
        let entries = idle
        idle.removeAll()
        sweep.cancel()
        for entry in entries { entry.handler.close() }
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter(.failure(UpstreamError.connectionClosed)) }
    }

    private func connect(_ callback: @escaping LeaseCallback) {
        openCount += 1
        metrics.upstreamConnectionOpened()
        let mesh: MeshConnectionSecurity?
        do {
            mesh = try settings.mesh.map { try MeshConnectionSecurity(settings: $0, identity: identity, http2: false,
                                                                 handshakeTimeout: .milliseconds(settings.connectTimeoutMilliseconds)) }
        } catch {
            connectFailed(error, callback)
            return
        }
        let eventLoop = self.eventLoop
        let future = ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(settings.connectTimeoutMilliseconds))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try mesh?.addHandlers(to: channel)
                    // The request's fields were parsed by the downstream decoder or come from config
                    // validated to hold no CR, LF or NUL, so the codec writes them as they are.
                    try channel.pipeline.syncOperations.addHandler(UpstreamHTTP1Codec())
                    try channel.pipeline.syncOperations.addHandler(UpstreamStreamHandler())
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            // A mesh connection is leased only once the peer's identity checked out, so no request
            // byte goes to a peer that is not who the config says.
            .flatMap { channel in MeshConnectionSecurity.verified(channel, eventLoop: eventLoop) }
        future.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: UpstreamStreamHandler.self)
                    // Strong references to the pool: it lives as long as its loop serves the endpoint,
                    // and weak ones would put every retain of it on the slow path.
                    handler.onClose = { [unowned handler] in self.connectionClosed(handler) }
                    handler.releaser = { handler, reusable in self.release(handler, reusable: reusable) }
                    if !channel.isActive {
                        handler.onClose = nil
                        self.connectionClosed(handler)
                        callback(.failure(UpstreamError.connectionClosed))
                        return
                    }
                    callback(.success(UpstreamLease(handler: handler, reused: false)))
                } catch {
                    channel.close(promise: nil)
                    self.connectFailed(error, callback)
                }
            case .failure(let error):
                self.connectFailed(error, callback)
            }
        }
    }

    private func connectFailed(_ error: any Error, _ callback: LeaseCallback) {
        openCount -= 1
        metrics.upstreamConnectionClosed()
        let failure = UpstreamError.connectFailed("\(endpoint): \(error)")
        callback(.failure(failure))
        // The backend is unreachable: queued requests would only wait for the same answer.
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter(.failure(failure)) }
    }

    private func connectionClosed(_ handler: UpstreamStreamHandler) {
        openCount -= 1
        metrics.upstreamConnectionClosed()
        if let index = idle.firstIndex(where: { $0.handler === handler }) { idle.remove(at: index) }
        if !waiters.isEmpty && !closed && openCount < settings.maxConnectionsPerLoop {
            connect(waiters.removeFirst())
        }
    }
}
