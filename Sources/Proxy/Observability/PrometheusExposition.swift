import PrometheusText

/// Renders metrics in the Prometheus text exposition format (version 0.0.4).
enum PrometheusExposition {
    static let contentType = PrometheusText.contentType

    static func render(_ snapshot: MetricsSnapshot, configVersion: String, configSwaps: UInt64, configRejections: UInt64) -> String {
        var out = ""
        out += "# HELP causeway_requests_total HTTP requests completed, by route, backend and status class.\n"
        out += "# TYPE causeway_requests_total counter\n"
        for (key, value) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.backend, $0.key.statusClass) < ($1.key.route, $1.key.backend, $1.key.statusClass) }) {
            out += "causeway_requests_total{route=\"\(escape(key.route))\",backend=\"\(escape(key.backend))\",code=\"\(key.statusClass)\"} \(value)\n"
        }
        out += "# HELP causeway_request_duration_seconds Time from request head to the end of the response.\n"
        out += "# TYPE causeway_request_duration_seconds histogram\n"
        for (route, histogram) in snapshot.durations.sorted(by: { $0.key < $1.key }) {
            let label = "route=\"\(escape(route))\""
            for (index, bound) in Histogram.bounds.enumerated() {
                out += "causeway_request_duration_seconds_bucket{\(label),le=\"\(format(bound))\"} \(histogram.buckets[index])\n"
            }
            out += "causeway_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(histogram.count)\n"
            out += "causeway_request_duration_seconds_sum{\(label)} \(format(histogram.sum))\n"
            out += "causeway_request_duration_seconds_count{\(label)} \(histogram.count)\n"
        }
        out += "# HELP causeway_active_requests Requests in flight.\n"
        out += "# TYPE causeway_active_requests gauge\n"
        out += "causeway_active_requests \(snapshot.activeRequests)\n"
        out += "# HELP causeway_upstream_connections Open connections to backends.\n"
        out += "# TYPE causeway_upstream_connections gauge\n"
        out += "causeway_upstream_connections \(snapshot.upstreamConnections)\n"
        out += "# HELP causeway_downstream_connections Open client connections.\n"
        out += "# TYPE causeway_downstream_connections gauge\n"
        out += "causeway_downstream_connections \(snapshot.downstreamConnections)\n"
        if !snapshot.sidecarConnections.isEmpty {
            out += "# HELP causeway_sidecar_connections_total Connections taken from the sidecar's capture ports, by outcome.\n"
            out += "# TYPE causeway_sidecar_connections_total counter\n"
            for (key, count) in snapshot.sidecarConnections.sorted(by: { ($0.key.direction.rawValue, $0.key.outcome.rawValue) < ($1.key.direction.rawValue, $1.key.outcome.rawValue) }) {
                out += "causeway_sidecar_connections_total{direction=\"\(key.direction.rawValue)\",outcome=\"\(key.outcome.rawValue)\"} \(count)\n"
            }
        }
        out += "# HELP causeway_config_info The active configuration snapshot.\n"
        out += "# TYPE causeway_config_info gauge\n"
        out += "causeway_config_info{version=\"\(escape(configVersion))\"} 1\n"
        out += "# HELP causeway_config_swaps_total Configuration snapshots applied.\n"
        out += "# TYPE causeway_config_swaps_total counter\n"
        out += "causeway_config_swaps_total \(configSwaps)\n"
        out += "# HELP causeway_config_rejections_total Configuration snapshots rejected as invalid.\n"
        out += "# TYPE causeway_config_rejections_total counter\n"
        out += "causeway_config_rejections_total \(configRejections)\n"
        return out
    }

    static func escape(_ value: String) -> String { PrometheusText.escape(value) }
    static func format(_ value: Double) -> String { PrometheusText.format(value) }
}
