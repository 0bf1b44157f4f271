import Foundation

/// Exponential backoff with jitter, as a value: `next` returns how long to wait and doubles the step.
///
/// The defaults follow client-go's reflector (800 ms doubling to 30 s, full jitter on top) so a
/// fleet of clients that lost the same API server does not come back in lockstep.
public struct Backoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var factor: Double
    /// Each wait is stretched by up to `jitter` × itself: 1.0 means between 1× and 2×.
    public var jitter: Double
    private var current: Duration?

    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), factor: Double = 2, jitter: Double = 1) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
    }

    /// The next wait; advances the step.
    public mutating func next(random: any RandomSource) -> Duration {
        let base = current.map { min(maximum, .seconds(double: $0.seconds * factor)) } ?? initial
        current = base
        let stretched = base.seconds * (1 + jitter * random.nextUnit())
        return .seconds(double: stretched)
    }

    /// Back to the first step, after a success.
    public mutating func reset() { current = nil }
}
