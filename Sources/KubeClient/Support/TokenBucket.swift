import Foundation
import Synchronization

/// Client-side rate limiting: `qps` tokens a second, up to `burst` saved up.
///
/// Each caller reserves a token at once (possibly going into debt) and then sleeps until its
/// token exists, so waiters are served in arrival order and nobody polls.
public final class TokenBucket: Sendable {
    public let qps: Double
    public let burst: Int
    private let clock: any KubeClock
    private struct State {
        var tokens: Double
        var last: Date
    }
    private let state: Mutex<State>

    public init(qps: Double, burst: Int, clock: any KubeClock = SystemClock()) {
        precondition(qps > 0 && burst > 0, "qps and burst must be positive")
        self.qps = qps
        self.burst = burst
        self.clock = clock
        state = Mutex(State(tokens: Double(burst), last: clock.now()))
    }

    /// Takes a token now if one is available and returns how long the caller must wait for it.
    public func reserve() -> Duration {
        let now = clock.now()
        return state.withLock { state in
            let elapsed = max(0, now.timeIntervalSince(state.last))
            state.tokens = min(Double(burst), state.tokens + elapsed * qps)
            state.last = now
            state.tokens -= 1
            return state.tokens >= 0 ? .zero : .seconds(double: -state.tokens / qps)
        }
    }

    /// Waits for a token.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await clock.sleep(for: wait) }
    }

    /// Takes a token only if one is available now.
    public func tryAcquire() -> Bool {
        let now = clock.now()
        return state.withLock { state in
            let elapsed = max(0, now.timeIntervalSince(state.last))
            state.tokens = min(Double(burst), state.tokens + elapsed * qps)
            state.last = now
            guard state.tokens >= 1 else { return false }
            state.tokens -= 1
            return true
        }
    }
}
