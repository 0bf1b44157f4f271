import ProxyConfig

/// Per-endpoint connection pool limits, and how connections are secured.
struct PoolSettings: Hashable, Sendable {
    var maxConnectionsPerLoop: Int = 256
    var maxPendingPerLoop: Int = 1024
    var connectTimeoutMilliseconds: Int64 = 5_000
    var idleTimeoutMilliseconds: Int64 = 60_000
    /// Concurrent streams opened on one h2c connection before another connection is dialled.
    var maxStreamsPerH2Connection: Int = 100
    /// An HTTP/1.1 connection is closed after serving this many requests; nil: no limit.
    var maxRequestsPerConnection: Int?
    /// Mutual TLS with the backend's workload identity; nil: plaintext.
    var mesh: MeshUpstreamTLS?
}
