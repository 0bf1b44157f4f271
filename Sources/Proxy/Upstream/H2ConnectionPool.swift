import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import ProxyConfig

/// HTTP/2 cleartext (prior knowledge) connections to one endpoint, owned by one event loop.
/// Each request is a new stream on a shared connection; another connection is dialled only when
/// every open one carries `maxStreamsPerH2Connection` streams. A retired connection (the backend
/// sent GOAWAY, or NIO reported an error on it) takes no new stream and closes when its last one
/// ends; a replacement is dialled for the requests that wait.
final class H2ConnectionPool {
    typealias LeaseCallback = (Result<UpstreamLease, any Error>) -> Void

    private final class Connection {
        let channel: Channel
        let multiplexer: NIOHTTP2Handler.StreamMultiplexer
        let watcher: H2ConnectionWatcher
        var activeStreams = 0
        /// When the last stream ended; nil while streams are open.
        var idleSince: NIODeadline?
        /// Streams opening and ending schedule nothing: the timer checks `idleSince` when it fires.
        var idleTimer = LazyTimer()

        init(channel: Channel, multiplexer: NIOHTTP2Handler.StreamMultiplexer, watcher: H2ConnectionWatcher) {
            self.channel = channel
            self.multiplexer = multiplexer
            self.watcher = watcher
        }

        /// Open and not retired.
        var takesStreams: Bool { channel.isActive && !watcher.isRetired }
    }

    let endpoint: UpstreamEndpoint
    let eventLoop: any EventLoop
    let settings: PoolSettings
    private let metrics: MetricsShard
    private let identity: WorkloadIdentity?
    private var connections: [Connection] = []
    private var connecting = false
    private var waiters: [LeaseCallback] = []
    private var closed = false

    init(endpoint: UpstreamEndpoint, eventLoop: any EventLoop, settings: PoolSettings, metrics: MetricsShard,
         identity: WorkloadIdentity? = nil) {
        self.identity = identity
        self.endpoint = endpoint
        self.eventLoop = eventLoop
        self.settings = settings
        self.metrics = metrics
    }

    func lease(_ callback: @escaping LeaseCallback) {
        eventLoop.preconditionInEventLoop()
        if closed { return callback(.failure(UpstreamError.connectionClosed)) }
        if let connection = connections.first(where: { $0.takesStreams && $0.activeStreams < settings.maxStreamsPerH2Connection }) {
            openStream(on: connection, callback)
            return
        }
        guard waiters.count < settings.maxPendingPerLoop else { return callback(.failure(UpstreamError.poolExhausted)) }
        waiters.append(callback)
        connectIfAllowed()
    }

    /// Retired connections do not count against the limit: they take no new streams.
    private func connectIfAllowed() {
        if !connecting && connections.count(where: { !$0.watcher.isRetired }) < settings.maxConnectionsPerLoop { connect() }
    }

    func shutdown() {
        closed = true
        for connection in connections where connection.activeStreams == 0 {
            connection.channel.close(promise: nil)
        }
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter(.failure(UpstreamError.connectionClosed)) }
    }

    private func connect() {
        connecting = true
        metrics.upstreamConnectionOpened()
        let eventLoop = self.eventLoop
        let mesh: MeshConnectionSecurity?
        do {
            mesh = try settings.mesh.map { try MeshConnectionSecurity(settings: $0, identity: identity, http2: true,
                                                                 handshakeTimeout: .milliseconds(settings.connectTimeoutMilliseconds)) }
        } catch {
            mesh = nil
            connecting = false
            metrics.upstreamConnectionClosed()
            let pending = waiters
            waiters.removeAll()
            for waiter in pending { waiter(.failure(UpstreamError.connectFailed("\(endpoint): \(error)"))) }
            return
        }
        let streamLimit = settings.maxStreamsPerH2Connection
        let future = ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(settings.connectTimeoutMilliseconds))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try mesh?.addHandlers(to: channel) }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMap { channel in MeshConnectionSecurity.verified(channel, eventLoop: eventLoop) }
            .flatMapThrowing { channel -> (Channel, NIOHTTP2Handler.StreamMultiplexer, H2ConnectionWatcher) in
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(FlushCoalescingHandler())
                var connection = NIOHTTP2Handler.ConnectionConfiguration()
                // The proxy resets a stream whenever its client goes away, and the backend's answer
                // may already be on the wire. NIO ignores frames only for the streams it remembers
                // resetting (32 by default) and treats the rest as a connection error, so that one
                // burst of departing clients would cost the connection.
                connection.maximumRecentlyResetStreams = max(connection.maximumRecentlyResetStreams, 4 * streamLimit)
                let multiplexer = try sync.configureHTTP2Pipeline(
                    mode: .client,
                    connectionConfiguration: connection,
                    streamConfiguration: .init()
                ) { stream in
                    // Servers do not push to a proxy; refuse any stream the backend opens.
                    stream.close()
                }
                let watcher = H2ConnectionWatcher()
                try sync.addHandler(watcher)
                return (channel, multiplexer, watcher)
            }
        future.assumeIsolated().whenComplete { result in
            self.connecting = false
            switch result {
            case .success(let (channel, multiplexer, watcher)):
                let connection = Connection(channel: channel, multiplexer: multiplexer, watcher: watcher)
                self.connections.append(connection)
                watcher.onRetire = { [weak self, weak connection] in
                    guard let self, let connection else { return }
                    self.retired(connection)
                }
                channel.closeFuture.assumeIsolated().whenComplete { _ in
                    self.metrics.upstreamConnectionClosed()
                    connection.idleTimer.cancel()
                    self.connections.removeAll { $0 === connection }
                    if !self.waiters.isEmpty { self.connectIfAllowed() }
                }
                let pending = self.waiters
                self.waiters.removeAll()
                for waiter in pending { self.lease(waiter) }
            case .failure(let error):
                self.metrics.upstreamConnectionClosed()
                let pending = self.waiters
                self.waiters.removeAll()
                for waiter in pending { waiter(.failure(UpstreamError.connectFailed("\(self.endpoint): \(error)"))) }
            }
        }
    }

    private func openStream(on connection: Connection, _ callback: @escaping LeaseCallback) {
        connection.activeStreams += 1
        connection.idleSince = nil
        let streamFuture = connection.multiplexer.createStreamChannel { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers([
                    HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .http),
                    UpstreamStreamHandler(),
                ])
            }
        }
        streamFuture.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let stream):
                stream.closeFuture.assumeIsolated().whenComplete { _ in self.streamClosed(on: connection) }
                do {
                    let handler = try stream.pipeline.syncOperations.handler(type: UpstreamStreamHandler.self)
                    handler.connectionWatcher = connection.watcher
                    handler.releaser = { handler, reusable in
                        handler.sink = nil
                        // A stream ends by itself once both sides sent END_STREAM; an aborted one is reset.
                        if !reusable { handler.close() }
                    }
                    callback(.success(UpstreamLease(handler: handler, reused: false)))
                } catch {
                    stream.close(promise: nil)
                    callback(.failure(error))
                }
            case .failure(let error):
                self.streamClosed(on: connection)
                callback(.failure(error))
            }
        }
    }

    /// Closes the connection once it has had no stream for the idle timeout; a connection that
    /// was busy again meanwhile is checked again when it next goes idle.
    private func armIdleTimer(_ connection: Connection, at deadline: NIODeadline) {
        let timeout = TimeAmount.milliseconds(settings.idleTimeoutMilliseconds)
        connection.idleTimer.arm(at: deadline, on: eventLoop) { [weak self, weak connection] in
            guard let self, let connection else { return }
            connection.idleTimer.fired()
            guard let since = connection.idleSince else { return }
            if since + timeout <= .now() {
                connection.channel.close(promise: nil)
            } else {
                self.armIdleTimer(connection, at: since + timeout)
            }
        }
    }

    /// The backend sent GOAWAY, or the connection failed: no new stream goes to `connection`,
    /// which closes once its streams end, and the requests waiting for a stream get a new one.
    private func retired(_ connection: Connection) {
        if connection.activeStreams == 0 { connection.channel.close(promise: nil) }
        if !waiters.isEmpty { connectIfAllowed() }
    }

    private func streamClosed(on connection: Connection) {
        connection.activeStreams -= 1
        if connection.activeStreams == 0 {
            if closed || connection.watcher.isRetired {
                connection.channel.close(promise: nil)
                return
            }
            connection.idleSince = .now()
            let deadline = NIODeadline.now() + .milliseconds(settings.idleTimeoutMilliseconds)
            if !connection.idleTimer.fires(by: deadline) { armIdleTimer(connection, at: deadline) }
        }
        if let waiter = waiters.first, connection.takesStreams {
            waiters.removeFirst()
            openStream(on: connection, waiter)
        }
    }
}
