import Foundation
import KubeClient
import Synchronization

/// Decides how long a failing item waits before it is retried.
public protocol ItemRateLimiter<Key>: Sendable {
    associatedtype Key: Hashable & Sendable
    /// The delay for this retry of `key`; counts the failure.
    func when(_ key: Key) -> Duration
    /// Forgets `key`'s failures after it succeeds.
    func forget(_ key: Key)
    func failures(_ key: Key) -> Int
}

/// Per-item exponential backoff: `base × 2^failures`, capped at `maximum`.
public final class ExponentialItemRateLimiter<Key: Hashable & Sendable>: ItemRateLimiter {
    public let base: Duration
    public let maximum: Duration
    private let counts = Mutex<[Key: Int]>([:])

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    public func when(_ key: Key) -> Duration {
        let exponent = counts.withLock { counts -> Int in
            defer { counts[key, default: 0] += 1 }
            return counts[key, default: 0]
        }
        let seconds = base.seconds * pow(2, Double(min(exponent, 62)))
        return seconds >= maximum.seconds ? maximum : .seconds(double: seconds)
    }

    public func forget(_ key: Key) { _ = counts.withLock { $0.removeValue(forKey: key) } }
    public func failures(_ key: Key) -> Int { counts.withLock { $0[key, default: 0] } }
}

/// An overall token bucket across all items, so a storm of failures cannot flood the API server.
public final class BucketItemRateLimiter<Key: Hashable & Sendable>: ItemRateLimiter {
    private let bucket: TokenBucket

    public init(qps: Double = 10, burst: Int = 100, clock: any KubeClock = SystemClock()) {
        bucket = TokenBucket(qps: qps, burst: burst, clock: clock)
    }

    public func when(_ key: Key) -> Duration { bucket.reserve() }
    public func forget(_ key: Key) {}
    public func failures(_ key: Key) -> Int { 0 }
}

/// The longest delay of several limiters.
public final class MaxOfItemRateLimiter<Key: Hashable & Sendable>: ItemRateLimiter {
    private let limiters: [any ItemRateLimiter<Key>]

    public init(_ limiters: [any ItemRateLimiter<Key>]) { self.limiters = limiters }

    public func when(_ key: Key) -> Duration { limiters.map { $0.when(key) }.max() ?? .zero }
    public func forget(_ key: Key) { for limiter in limiters { limiter.forget(key) } }
    public func failures(_ key: Key) -> Int { limiters.map { $0.failures(key) }.max() ?? 0 }

    /// client-go's default for controllers: 5 ms doubling to 1000 s per item, and 10 qps / 100 burst overall.
    public static func controllerDefault(clock: any KubeClock = SystemClock()) -> MaxOfItemRateLimiter<Key> {
        MaxOfItemRateLimiter([ExponentialItemRateLimiter<Key>(), BucketItemRateLimiter<Key>(clock: clock)])
    }
}
