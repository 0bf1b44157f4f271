/// One event loop's latency histogram of a route, held by reference so the shard can keep the
/// last one used and observe into it without a dictionary lookup.
final class HistogramBox {
    let route: String
    var value = Histogram()

    init(_ route: String) { self.route = route }
}
