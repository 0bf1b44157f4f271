/// One event loop's request counts for a route and backend, by status class. A class so the
/// shard can keep the last one used and count into it without a dictionary lookup.
final class RouteBackendCounts {
    let key: RouteBackend
    var byStatusClass = [UInt64](repeating: 0, count: MetricsShard.statusClasses.count)

    init(_ key: RouteBackend) { self.key = key }
}
