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

    /// Requests started on this loop since it began (the idle-memory trimmer's activity signal).
    private(set) var requestsStarted: UInt64 = 0

    func requestStarted() {
        activeRequests += 1
        requestsStarted &+= 1
    }

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
