/// A backend as the data plane dials it: endpoints, protocol, balancing policy, pool limits.
final class UpstreamCluster: Sendable {
    /// Position among the snapshot's clusters: event loops keep their per-cluster state in
    /// arrays by this index, so a request looks nothing up by name.
    let index: Int
    let name: String
    let endpoints: [WeightedEndpoint]
    let upstreamProtocol: UpstreamProtocol
    let balancing: BalancingPolicy
    let pool: PoolSettings

    init(index: Int, name: String, endpoints: [WeightedEndpoint], upstreamProtocol: UpstreamProtocol, balancing: BalancingPolicy,
         pool: PoolSettings) {
        self.index = index
        self.name = name
        self.endpoints = endpoints
        self.upstreamProtocol = upstreamProtocol
        self.balancing = balancing
        self.pool = pool
    }
}
