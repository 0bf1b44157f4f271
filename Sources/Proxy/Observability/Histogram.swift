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
