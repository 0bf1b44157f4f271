/// One cluster of a config snapshot as one event loop serves it: its balancer, the requests in
/// flight to each endpoint and each endpoint's pool, all indexed like `cluster.endpoints`.
///
/// Built once per snapshot per loop (pools are found by key only the first time an endpoint is
/// used), so a request does array lookups instead of hashing names, endpoints and pool settings.
final class ClusterSlot {
    let cluster: UpstreamCluster
    var balancer = LoadBalancer()
    var inFlight: [Int]
    var http1Pools: [HTTP1ConnectionPool?]
    var h2Pools: [H2ConnectionPool?]

    init(cluster: UpstreamCluster) {
        self.cluster = cluster
        inFlight = Array(repeating: 0, count: cluster.endpoints.count)
        http1Pools = Array(repeating: nil, count: cluster.endpoints.count)
        h2Pools = Array(repeating: nil, count: cluster.endpoints.count)
    }

    func requestStarted(_ endpoint: Int) { inFlight[endpoint] += 1 }
    func requestFinished(_ endpoint: Int) { if inFlight[endpoint] > 0 { inFlight[endpoint] -= 1 } }
}
