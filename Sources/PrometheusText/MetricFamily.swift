import Synchronization

/// A counter or gauge family with labels, safe to update from any thread.
public final class LabeledMetric: Sendable {
    public enum Kind: String, Sendable { case counter, gauge }

    public let name: String
    public let help: String
    public let kind: Kind
    public let labelNames: [String]
    private let values = Mutex<[[String]: Double]>([:])

    public init(_ name: String, kind: Kind, help: String, labels: [String] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        labelNames = labels
    }

    public func add(_ amount: Double = 1, _ labelValues: String...) {
        values.withLock { $0[labelValues, default: 0] += amount }
    }

    public func set(_ value: Double, _ labelValues: String...) {
        values.withLock { $0[labelValues] = value }
    }

    /// Replaces every series at once (gauges computed from a snapshot).
    public func replaceAll(_ series: [[String]: Double]) {
        values.withLock { $0 = series }
    }

    public func value(_ labelValues: String...) -> Double { values.withLock { $0[labelValues] ?? 0 } }

    public func render() -> String {
        var out = PrometheusText.header(name, type: kind.rawValue, help: help)
        let series = values.withLock { $0 }
        for (labelValues, value) in series.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            out += "\(name)\(PrometheusText.labels(Array(zip(labelNames, labelValues)))) \(PrometheusText.format(value))\n"
        }
        return out
    }
}

/// A histogram with fixed bucket bounds (seconds), without labels.
public final class DurationHistogram: Sendable {
    public let name: String
    public let help: String
    public let bounds: [Double]
    private struct State { var buckets: [UInt64]; var count: UInt64 = 0; var sum: Double = 0 }
    private let state: Mutex<State>

    public init(_ name: String, help: String, bounds: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
        self.name = name
        self.help = help
        self.bounds = bounds
        state = Mutex(State(buckets: Array(repeating: 0, count: bounds.count)))
    }

    public func observe(_ seconds: Double) {
        state.withLock { state in
            for (i, bound) in bounds.enumerated() where seconds <= bound { state.buckets[i] += 1 }
            state.count += 1
            state.sum += seconds
        }
    }

    public var count: UInt64 { state.withLock { $0.count } }

    public func render() -> String {
        let snapshot = state.withLock { $0 }
        var out = PrometheusText.header(name, type: "histogram", help: help)
        for (i, bound) in bounds.enumerated() {
            out += "\(name)_bucket{le=\"\(PrometheusText.format(bound))\"} \(snapshot.buckets[i])\n"
        }
        out += "\(name)_bucket{le=\"+Inf\"} \(snapshot.count)\n"
        out += "\(name)_sum \(PrometheusText.format(snapshot.sum))\n"
        out += "\(name)_count \(snapshot.count)\n"
        return out
    }
}
