/// The metrics one event loop records. Only that loop touches it, so recording is a plain
/// dictionary update; the admin endpoint collects a `MetricsSnapshot` from every loop and merges.
final class MetricsShard {
    struct RequestKey: Hashable, Sendable {
        var route: String
        var backend: String
        var statusClass: String
    }

    private(set) var requests: [RequestKey: UInt64] = [:]
    private(set) var durations: [String: Histogram] = [:]
    private(set) var activeRequests: Int = 0
    private(set) var upstreamConnections: Int = 0
    private(set) var downstreamConnections: Int = 0
    /// Connections a sidecar took from its capture ports, by what it did with them.
    private(set) var sidecarConnections: [SidecarConnectionKey: UInt64] = [:]

    func requestStarted() { activeRequests += 1 }

    func requestFinished(route: String, backend: String, status: UInt, seconds: Double) {
        activeRequests -= 1
        let key = RequestKey(route: route, backend: backend, statusClass: Self.statusClass(status))
        requests[key, default: 0] += 1
        durations[route, default: Histogram()].observe(seconds)
    }

    func upstreamConnectionOpened() { upstreamConnections += 1 }
    func upstreamConnectionClosed() { upstreamConnections -= 1 }
    func downstreamConnectionOpened() { downstreamConnections += 1 }
    func downstreamConnectionClosed() { downstreamConnections -= 1 }
    func sidecarConnection(_ direction: SidecarConnectionKey.Direction, _ outcome: SidecarConnectionKey.Outcome) {
        sidecarConnections[SidecarConnectionKey(direction: direction, outcome: outcome), default: 0] += 1
    }

    var snapshot: MetricsSnapshot {
        MetricsSnapshot(
            requests: requests, durations: durations, activeRequests: activeRequests,
            upstreamConnections: upstreamConnections, downstreamConnections: downstreamConnections,
            sidecarConnections: sidecarConnections)
    }

    static func statusClass(_ status: UInt) -> String {
        switch status {
        case 100..<200: return "1xx"
        case 200..<300: return "2xx"
        case 300..<400: return "3xx"
        case 400..<500: return "4xx"
        default: return "5xx"
        }
    }
}

/// A cumulative histogram with Prometheus' default latency buckets (seconds).
struct Histogram: Sendable, Equatable {
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    var buckets = [UInt64](repeating: 0, count: Histogram.bounds.count)
    var count: UInt64 = 0
    var sum: Double = 0

    mutating func observe(_ value: Double) {
        count += 1
        sum += value
        for index in Self.bounds.indices where value <= Self.bounds[index] {
            buckets[index] += 1
        }
    }

    mutating func merge(_ other: Histogram) {
        count += other.count
        sum += other.sum
        for index in buckets.indices { buckets[index] += other.buckets[index] }
    }
}

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
