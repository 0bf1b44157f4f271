import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif
import ProxyConfig
import Synchronization

/// The Causeway data plane: binds the listeners of a `ProxyConfig`, forwards requests, and swaps
/// configs atomically while serving.
public final class ProxyServer: Sendable {
    /// How the process around the proxy wants it to behave.
    public struct Options: Sendable {
        /// File descriptor for JSON access-log lines (e.g. 1 for stdout); `nil` disables the log.
        public var accessLogFileDescriptor: Int32?
        /// Bind with `SO_REUSEPORT`, so several proxy processes on one host can share an address
        /// (`causeway dev` runs a Gateway's replicas side by side this way).
        public var reusePort: Bool
        /// The workload certificate for mesh listeners and mesh backends (`--mesh-identity`).
        public var identity: WorkloadIdentity?
        /// A sidecar's pod labels (`--pod-labels-file`): which selector-scoped mTLS policies apply.
        public var podLabels: [String: String]

        public init(accessLogFileDescriptor: Int32? = nil, reusePort: Bool = false, identity: WorkloadIdentity? = nil,
                    podLabels: [String: String] = [:]) {
            self.accessLogFileDescriptor = accessLogFileDescriptor
            self.reusePort = reusePort
            self.identity = identity
            self.podLabels = podLabels
        }
    }

    private struct BoundListener: Sendable {
        var key: ListenerKey
        var channel: Channel
    }

    /// What makes a listener's socket: a change here rebinds, anything else is a hot swap.
    private struct ListenerKey: Hashable, Sendable {
        var name: String
        var address: String
        var port: Int
        var isTLS: Bool
        /// A mesh listener; who may connect is read from the current config per connection, so
        /// changing it does not rebind the socket.
        var isMesh: Bool
        /// A sidecar's capture port; nil for a configured listener.
        var capture: SidecarConnectionKey.Direction? = nil
        /// The IPv6 half of a capture port: bound only where the pod has IPv6, and then for IPv6
        /// alone (the IPv4 socket has the same port).
        var ipv6Only = false
    }

    let group: any EventLoopGroup
    let options: Options
    let store: ConfigStore
    let lifecycle: ProxyLifecycle
    private let loops: [ObjectIdentifier: NIOLoopBound<LoopContext>]
    private let listeners = Mutex<[String: BoundListener]>([:])
    private let trimmer: IdleMemoryTrimmer

    private init(group: any EventLoopGroup, options: Options, store: ConfigStore, loops: [ObjectIdentifier: NIOLoopBound<LoopContext>],
                 lifecycle: ProxyLifecycle) {
        self.group = group
        self.options = options
        self.store = store
        self.loops = loops
        self.lifecycle = lifecycle
        trimmer = IdleMemoryTrimmer(loops: Array(loops.values))
    }

    /// Validates `config`, binds its listeners and starts serving.
    /// - Throws: `InvalidConfigError` when the config is invalid; a NIO error when a port cannot be bound.
    public static func start(config: ProxyConfig, group: any EventLoopGroup, options: Options = Options()) async throws -> ProxyServer {
        let loopCount = Array(group.makeIterator()).count
        let active = try ActiveConfigBuilder.build(config, loopCount: loopCount)
        let store = ConfigStore(active)
        let lifecycle = ProxyLifecycle()
        var loops: [ObjectIdentifier: NIOLoopBound<LoopContext>] = [:]
        for eventLoop in group.makeIterator() {
            let fd = options.accessLogFileDescriptor
            let identity = options.identity
            let bound = try await eventLoop.submit {
                let sink = fd.map { AccessLogSink(fd: $0, eventLoop: eventLoop) }
                return NIOLoopBound(LoopContext(eventLoop: eventLoop, store: store, accessLog: sink, lifecycle: lifecycle, identity: identity),
                                    eventLoop: eventLoop)
            }.get()
            loops[ObjectIdentifier(eventLoop)] = bound
        }
        let server = ProxyServer(group: group, options: options, store: store, loops: loops, lifecycle: lifecycle)
        do {
            try await server.reconcileListeners(active)
        } catch {
            // A listener that could not bind leaves none of the others bound.
            await server.shutdown()
            throw error
        }
        return server
    }

    /// The config being served.
    public var activeConfig: ProxyConfig { store.load().source }

    /// The port a listener is bound to (useful when the config asked for port 0).
    public func boundPort(listener name: String) -> Int? {
        listeners.withLock { $0[name]?.channel.localAddress?.port }
    }

    /// Replaces the config atomically. Requests in flight finish on the config they started with.
    /// - Throws: `InvalidConfigError` (the current config keeps serving) or a bind error for a new listener.
    public func apply(_ config: ProxyConfig) async throws {
        let active: ActiveConfig
        do {
            active = try ActiveConfigBuilder.build(config, loopCount: loops.count)
        } catch {
            store.recordRejection()
            throw error
        }
        let previous = store.load()
        store.publish(active)
        do {
            try await reconcileListeners(active)
        } catch {
            // A listener that cannot bind refuses the whole snapshot: the previous one keeps serving.
            store.publish(previous)
            store.recordRejection()
            try? await reconcileListeners(previous)
            throw error
        }
    }

    /// Counts a snapshot that never reached `apply` (e.g. a file that does not parse) in the
    /// `causeway_config_rejections_total` metric.
    public func recordRejectedConfig() {
        store.recordRejection()
    }

    /// Stops accepting, lets requests in flight finish (HTTP/1 `Connection: close`, HTTP/2 GOAWAY),
    /// and closes what is left at `deadline`.
    public func drain(timeout: Duration) async {
        lifecycle.startDraining()
        let bound = listeners.withLock { current -> [BoundListener] in
            let all = Array(current.values)
            current.removeAll()
            return all
        }
        for listener in bound { try? await listener.channel.close() }
        await forEachLoop { $0.drainConnections() }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let snapshot = await metricsSnapshot()
            // Idle HTTP/1 connections closed on the drain event; HTTP/2 clients may keep theirs open
            // after GOAWAY, so the requests in flight are what to wait for.
            if snapshot.activeRequests == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        trimmer.cancel()
        await forEachLoop { loop in
            loop.closeConnections()
            loop.shutdownPools()
            loop.accessLog?.flush()
        }
    }

    /// Closes listeners, connections and pools at once.
    public func shutdown() async {
        await drain(timeout: .zero)
    }

    /// Whether the proxy is ready to take traffic: listeners bound, not draining, and — when it
    /// has a mesh identity and its config uses mTLS — a workload certificate loaded.
    public var isReady: Bool {
        guard !lifecycle.isDraining, !listeners.withLock({ $0.isEmpty }) else { return false }
        guard let identity = options.identity, identity.current == nil else { return true }
        let config = store.load().source
        return config.sidecar == nil && !config.listeners.contains { $0.mtls != nil } && !config.backends.contains { $0.mtls != nil }
    }

    func metricsSnapshot() async -> MetricsSnapshot {
        var total = MetricsSnapshot()
        for bound in loops.values {
            if let snapshot = try? await bound.eventLoop.submit({ bound.value.metrics.snapshot }).get() {
                total.merge(snapshot)
            }
        }
        return total
    }

    /// The Prometheus text exposition of all loops' metrics.
    public func prometheusText() async -> String {
        let snapshot = await metricsSnapshot()
        return PrometheusExposition.render(snapshot, configVersion: store.load().version, configSwaps: store.swaps, configRejections: store.rejections)
            + (options.identity?.renderMetrics() ?? "")
    }

    private func forEachLoop(_ body: @escaping @Sendable (LoopContext) -> Void) async {
        for bound in loops.values {
            try? await bound.eventLoop.submit { body(bound.value) }.get()
        }
    }

    /// Binds listeners the config adds, closes those it removes; unchanged sockets stay open.
    private func reconcileListeners(_ active: ActiveConfig) async throws {
        if lifecycle.isDraining { return }
        var wanted: [String: ListenerKey] = [:]
        for listener in active.source.listeners where listener.bind {
            wanted[listener.name] = ListenerKey(name: listener.name, address: listener.address, port: listener.port,
                                                isTLS: listener.protocol == .https, isMesh: listener.mtls != nil)
        }
        if let sidecar = active.sidecar {
            // iptables REDIRECT rewrites the destination to the pod's primary address (loopback for
            // its own traffic), so the capture ports listen on every address, IPv4 and IPv6.
            for (direction, port) in [(SidecarConnectionKey.Direction.outbound, sidecar.outboundPort), (.inbound, sidecar.inboundPort)] {
                let name = "sidecar-\(direction.rawValue)"
                wanted[name] = ListenerKey(name: name, address: "0.0.0.0", port: port, isTLS: false, isMesh: false, capture: direction)
                wanted[name + "-ipv6"] = ListenerKey(name: name + "-ipv6", address: "::", port: port, isTLS: false, isMesh: false,
                                                     capture: direction, ipv6Only: true)
            }
        }
        let (toClose, toBind) = listeners.withLock { current -> ([BoundListener], [ListenerKey]) in
            var close: [BoundListener] = []
            for (name, bound) in current where wanted[name] != bound.key {
                close.append(bound)
                current[name] = nil
            }
            let bind = wanted.values.filter { current[$0.name] == nil }
            return (close, bind)
        }
        for listener in toClose { try? await listener.channel.close() }
        for key in toBind.sorted(by: { $0.name < $1.name }) {
            let channel: Channel
            do {
                channel = try await bind(key)
            } catch where key.ipv6Only {
                // A pod without IPv6 has no IPv6 traffic to capture.
                continue
            }
            listeners.withLock { $0[key.name] = BoundListener(key: key, channel: channel) }
        }
    }

    private func bind(_ key: ListenerKey) async throws -> Channel {
        let loops = self.loops
        let name = key.name
        let isTLS = key.isTLS
        let isMesh = key.isMesh
        let capture = key.capture
        let podLabels = options.podLabels
        var bootstrap = ServerBootstrap(group: group)
        if key.ipv6Only {
            // An IPv6 socket only: its IPv4 twin holds the same port.
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        }
        return try await bootstrap
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(
                ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT)),
                value: options.reusePort ? 1 : 0)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // Relayed TCP passes half-closes on; HTTP handlers close on end of input themselves.
            .childChannelOption(.allowRemoteHalfClosure, value: capture != nil)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let bound = loops[ObjectIdentifier(channel.eventLoop)] else { throw ChannelError.ioOnClosedChannel }
                    let loop = bound.value
                    switch capture {
                    case .outbound?: return try SidecarConnections.outbound(channel, loop: loop)
                    case .inbound?: return try SidecarConnections.inbound(channel, loop: loop, podLabels: podLabels)
                    case nil: break
                    }
                    if isMesh {
                        // Without a workload certificate a mesh listener serves nobody, not plaintext.
                        guard let identity = loop.identity, let snapshot = identity.current else { throw ChannelError.ioOnClosedChannel }
                        try ListenerPipeline.initialize(channel: channel, loop: loop, listenerName: name, tls: snapshot.serverContext,
                                                        mesh: MeshPeer(identity: identity, local: snapshot.identity))
                        return
                    }
                    let tls = isTLS ? loop.currentConfig().tlsContexts[name] : nil
                    if isTLS && tls == nil { throw ChannelError.ioOnClosedChannel }
                    try ListenerPipeline.initialize(channel: channel, loop: loop, listenerName: name, tls: tls)
                }
            }
            .bind(host: key.address, port: key.port)
            .get()
    }
}
