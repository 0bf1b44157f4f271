import NIOSSL
import ProxyConfig

/// Validates and compiles a `ProxyConfig` into what the event loops serve. Every failure — an
/// invalid field, a regex that does not compile, unreadable TLS material — rejects the whole
/// snapshot, so the proxy keeps the last good one.
enum ActiveConfigBuilder {
    static func build(_ config: ProxyConfig, loopCount: Int) throws -> ActiveConfig {
        let compiled = try config.compile()
        let loops = max(loopCount, 1)
        let clusters = compiled.backends.enumerated().map { index, backend in
            UpstreamCluster(
                index: index,
                name: backend.name,
                endpoints: backend.endpoints.map {
                    WeightedEndpoint(endpoint: UpstreamEndpoint(host: $0.host, port: $0.port), weight: $0.weight)
                },
                upstreamProtocol: backend.protocol == .h2c ? .h2c : .http1,
                balancing: backend.loadBalancing == .leastRequest ? .leastRequest : .roundRobin,
                pool: PoolSettings(
                    maxConnectionsPerLoop: max(1, backend.connectionPool.maxConnections / loops),
                    maxPendingPerLoop: max(1, backend.connectionPool.maxPendingRequests / loops),
                    connectTimeoutMilliseconds: backend.connectTimeout?.milliseconds ?? 5_000,
                    idleTimeoutMilliseconds: backend.idleTimeout?.milliseconds ?? 60_000,
                    maxRequestsPerConnection: backend.connectionPool.maxRequestsPerConnection,
                    mesh: backend.mtls))
        }
        let targets = ForwardTarget.table(rules: compiled.rules, clusters: clusters)
        var routers: [String: any RequestRouter] = [:]
        var tlsContexts: [String: NIOSSLContext] = [:]
        for listener in compiled.listeners {
            routers[listener.listener.name] = ConfigRouter(listener: listener.listener, table: listener.routeTable, clusters: clusters, targets: targets)
            if listener.listener.protocol == .https, let tls = listener.listener.tls {
                tlsContexts[listener.listener.name] = try TLSContextBuilder.makeContext(for: tls, listener: listener.listener.name)
            }
        }
        var byName: [String: UpstreamCluster] = [:]
        for cluster in clusters { byName[cluster.name] = cluster }
        return ActiveConfig(source: config, routers: routers, clusters: byName, tlsContexts: tlsContexts,
                            sidecar: config.sidecar.map(SidecarRouting.init))
    }
}
