import ProxyConfig

/// One backend address the proxy connects to.
struct UpstreamEndpoint: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    var description: String { host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The wire protocol spoken to a backend.
enum UpstreamProtocol: String, Hashable, Sendable {
    case http1
    /// HTTP/2 over cleartext with prior knowledge (gRPC backends).
    case h2c
}

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

/// Which pool a request uses: the endpoint and the settings it is reached with, so a config
/// that changes a backend's limits or security gets fresh connections.
struct PoolKey: Hashable {
    var endpoint: UpstreamEndpoint
    var settings: PoolSettings
}
