/// Where one request goes: an endpoint of a cluster slot.
struct UpstreamTarget {
    let slot: ClusterSlot
    let index: Int

    var endpoint: UpstreamEndpoint { slot.cluster.endpoints[index].endpoint }
}
