/// Which pool a request uses: the endpoint and the settings it is reached with, so a config
/// that changes a backend's limits or security gets fresh connections.
struct PoolKey: Hashable {
    var endpoint: UpstreamEndpoint
    var settings: PoolSettings
}
