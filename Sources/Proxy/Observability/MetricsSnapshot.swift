/// What the admin endpoint gathers from the shards.
struct MetricsSnapshot: Sendable {
    var requests: [MetricsShard.RequestKey: UInt64] = [:]
    var durations: [String: Histogram] = [:]
    var activeRequests = 0
    var upstreamConnections = 0
    var downstreamConnections = 0
    var sidecarConnections: [SidecarConnectionKey: UInt64] = [:]

    mutating func merge(_ other: MetricsSnapshot) {
        sidecarConnections.merge(other.sidecarConnections, uniquingKeysWith: +)
        requests.merge(other.requests, uniquingKeysWith: +)
        for (route, histogram) in other.durations { durations[route, default: Histogram()].merge(histogram) }
        activeRequests += other.activeRequests
        upstreamConnections += other.upstreamConnections
        downstreamConnections += other.downstreamConnections
    }
}
