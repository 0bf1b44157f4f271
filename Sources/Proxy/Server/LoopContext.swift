import NIOCore
import Synchronization

/// Everything one event loop needs per request, owned by that loop: its view of the config,
/// its connection pools, balancer counters and metrics. Nothing here is shared with other loops.
final class LoopContext {
    let eventLoop: any EventLoop
    let store: ConfigStore
    let metrics = MetricsShard()
    let accessLog: AccessLogSink?
    let lifecycle: ProxyLifecycle
    /// The workload certificate mesh listeners and mesh backends use; nil outside the mesh.
    let identity: WorkloadIdentity?
    var random = FastRandom()

    private var cachedGeneration: UInt64 = .max
    private var cached: ActiveConfig?
    /// The cached snapshot's clusters, by `UpstreamCluster.index`.
    private var slots: [ClusterSlot] = []
    private var pools: [PoolKey: HTTP1ConnectionPool] = [:]
    private var h2Pools: [PoolKey: H2ConnectionPool] = [:]
    private var connections: [ObjectIdentifier: Channel] = [:]

    init(eventLoop: any EventLoop, store: ConfigStore, accessLog: AccessLogSink?, lifecycle: ProxyLifecycle, identity: WorkloadIdentity? = nil) {
        self.identity = identity
        self.eventLoop = eventLoop
        self.store = store
        self.accessLog = accessLog
        self.lifecycle = lifecycle
    }

    /// The config to use for a new request: the cached one unless a swap happened since.
    func currentConfig() -> ActiveConfig {
        let generation = store.generation
        if generation != cachedGeneration || cached == nil {
            let fresh = store.load()
            if let old = cached, old !== fresh { retirePools(notIn: fresh) }
            if cached !== fresh {
                var byIndex = fresh.clusters.values.sorted { $0.index < $1.index }.map(ClusterSlot.init)
                if byIndex.enumerated().contains(where: { $0.offset != $0.element.cluster.index }) { byIndex = [] }
                slots = byIndex
            }
            cached = fresh
            cachedGeneration = generation
        }
        return cached!
    }

    var isDraining: Bool { lifecycle.isDraining }

    /// This loop's state for `cluster`. A cluster of an older snapshot (a request that began before
    /// a swap) gets a slot of its own that is not kept.
    func slot(for cluster: UpstreamCluster) -> ClusterSlot {
        if cluster.index < slots.count, slots[cluster.index].cluster === cluster { return slots[cluster.index] }
        return ClusterSlot(cluster: cluster)
    }

    /// Picks an endpoint of `cluster` with the cluster's policy.
    func pickTarget(_ cluster: UpstreamCluster) -> UpstreamTarget? {
        let slot = slot(for: cluster)
        let inFlight = slot.inFlight
        let index = slot.balancer.pick(cluster.endpoints, policy: cluster.balancing, random: &random) { inFlight[$0] }
        return index.map { UpstreamTarget(slot: slot, index: $0) }
    }

    func pickEndpoint(_ cluster: UpstreamCluster) -> UpstreamEndpoint? { pickTarget(cluster)?.endpoint }

    func http1Pool(for target: UpstreamTarget) -> HTTP1ConnectionPool {
        if let pool = target.slot.http1Pools[target.index] { return pool }
        let pool = http1Pool(for: target.endpoint, settings: target.slot.cluster.pool)
        target.slot.http1Pools[target.index] = pool
        return pool
    }

    func h2Pool(for target: UpstreamTarget) -> H2ConnectionPool {
        if let pool = target.slot.h2Pools[target.index] { return pool }
        let pool = h2Pool(for: target.endpoint, settings: target.slot.cluster.pool)
        target.slot.h2Pools[target.index] = pool
        return pool
    }

    private func http1Pool(for endpoint: UpstreamEndpoint, settings: PoolSettings) -> HTTP1ConnectionPool {
        let key = PoolKey(endpoint: endpoint, settings: settings)
        if let pool = pools[key] { return pool }
        let pool = HTTP1ConnectionPool(endpoint: endpoint, eventLoop: eventLoop, settings: settings, metrics: metrics, identity: identity)
        pools[key] = pool
        return pool
    }

    private func h2Pool(for endpoint: UpstreamEndpoint, settings: PoolSettings) -> H2ConnectionPool {
        let key = PoolKey(endpoint: endpoint, settings: settings)
        if let pool = h2Pools[key] { return pool }
        let pool = H2ConnectionPool(endpoint: endpoint, eventLoop: eventLoop, settings: settings, metrics: metrics, identity: identity)
        h2Pools[key] = pool
        return pool
    }

    /// Drops pools for endpoints (or settings) the new config no longer names; their in-flight
    /// requests finish, idle connections close.
    private func retirePools(notIn config: ActiveConfig) {
        var wanted = Set<PoolKey>()
        for cluster in config.clusters.values {
            for endpoint in cluster.endpoints { wanted.insert(PoolKey(endpoint: endpoint.endpoint, settings: cluster.pool)) }
        }
        for (key, pool) in pools where !wanted.contains(key) {
            pool.shutdown()
            pools[key] = nil
        }
        for (key, pool) in h2Pools where !wanted.contains(key) {
            pool.shutdown()
            h2Pools[key] = nil
        }
    }

    func connectionOpened(_ channel: Channel) {
        let id = ObjectIdentifier(channel)
        connections[id] = channel
        metrics.downstreamConnectionOpened()
        channel.closeFuture.assumeIsolated().whenComplete { _ in
            self.connections[id] = nil
            self.metrics.downstreamConnectionClosed()
        }
    }

    /// Asks every client connection to finish: HTTP/1 closes after its response in flight (or now
    /// when idle), HTTP/2 sends GOAWAY.
    func drainConnections() {
        for channel in connections.values {
            channel.pipeline.fireUserInboundEventTriggered(ListenerPipeline.DrainEvent())
        }
    }

    func closeConnections() {
        for channel in connections.values { channel.close(promise: nil) }
    }

    /// Closes every pooled connection (shutdown).
    func shutdownPools() {
        for pool in pools.values { pool.shutdown() }
        for pool in h2Pools.values { pool.shutdown() }
        pools.removeAll()
        h2Pools.removeAll()
    }
}
