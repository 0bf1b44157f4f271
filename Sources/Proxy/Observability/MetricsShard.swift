/// The metrics one event loop records. Only that loop touches it, so recording is a plain
/// dictionary update; the admin endpoint collects a `MetricsSnapshot` from every loop and merges.
final class MetricsShard {
    struct RequestKey: Hashable, Sendable {
        var route: String
        var backend: String
        var statusClass: String
    }

    /// Counts by route and backend, status classes by `statusClassIndex`.
    private var routeBackends: [RouteBackend: RouteBackendCounts] = [:]
    private var durations: [String: HistogramBox] = [:]
    /// The slots the last request used: consecutive requests mostly share a route and a backend,
    /// and comparing the same strings again costs less than hashing them into two dictionaries.
    private var lastCounts: RouteBackendCounts?
    private var lastDurations: HistogramBox?
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
        let counts: RouteBackendCounts
        if let last = lastCounts, last.key.route == route, last.key.backend == backend {
            counts = last
        } else {
            let key = RouteBackend(route: route, backend: backend)
            counts = routeBackends[key] ?? RouteBackendCounts(key)
            routeBackends[key] = counts
            lastCounts = counts
        }
        counts.byStatusClass[Self.statusClassIndex(status)] += 1
        let histogram: HistogramBox
        if let last = lastDurations, last.route == route {
            histogram = last
        } else {
            histogram = durations[route] ?? HistogramBox(route)
            durations[route] = histogram
            lastDurations = histogram
        }
        histogram.value.observe(seconds)
    }

    func upstreamConnectionOpened() { upstreamConnections += 1 }
    func upstreamConnectionClosed() { upstreamConnections -= 1 }
    func downstreamConnectionOpened() { downstreamConnections += 1 }
    func downstreamConnectionClosed() { downstreamConnections -= 1 }
    func sidecarConnection(_ direction: SidecarConnectionKey.Direction, _ outcome: SidecarConnectionKey.Outcome) {
        sidecarConnections[SidecarConnectionKey(direction: direction, outcome: outcome), default: 0] += 1
    }

    var snapshot: MetricsSnapshot {
        var requests: [RequestKey: UInt64] = [:]
        for counts in routeBackends.values {
            for (index, count) in counts.byStatusClass.enumerated() where count > 0 {
                requests[RequestKey(route: counts.key.route, backend: counts.key.backend, statusClass: Self.statusClasses[index])] = count
            }
        }
        return MetricsSnapshot(
            requests: requests, durations: durations.mapValues(\.value), activeRequests: activeRequests,
            upstreamConnections: upstreamConnections, downstreamConnections: downstreamConnections,
            sidecarConnections: sidecarConnections)
    }

    static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    static func statusClassIndex(_ status: UInt) -> Int {
        switch status {
        case 100..<200: return 0
        case 200..<300: return 1
        case 300..<400: return 2
        case 400..<500: return 3
        default: return 4
        }
    }
}
