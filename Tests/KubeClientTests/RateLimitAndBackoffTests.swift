import TestSupport
import Foundation
import KubeClient
import Testing

@Suite("Token bucket and backoff")
struct RateLimitAndBackoffTests {
    @Test("burst is free, then tokens come at qps")
    func tokenBucket() {
        let clock = ManualClock()
        let bucket = TokenBucket(qps: 20, burst: 30, clock: clock)
        for _ in 0..<30 { #expect(bucket.reserve() == .zero) }
        #expect(abs(bucket.reserve().seconds - 0.05) < 1e-6)
        #expect(abs(bucket.reserve().seconds - 0.10) < 1e-6)
        clock.advance(by: .seconds(10))
        // Refilled to the burst, not beyond, after paying back the debt of two.
        for _ in 0..<30 { #expect(bucket.reserve() == .zero) }
        #expect(bucket.reserve() > .zero)
        #expect(!bucket.tryAcquire())
    }

    @Test("acquire sleeps on the clock for a token")
    func acquireWaits() async throws {
        let clock = ManualClock()
        let bucket = TokenBucket(qps: 1, burst: 1, clock: clock)
        try await bucket.acquire()
        let second = Task { try await bucket.acquire() }
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(1))
        try await second.value
    }

    @Test("backoff doubles to its cap, with jitter from the injected source, and resets")
    func backoff() {
        var backoff = Backoff(initial: .milliseconds(800), maximum: .seconds(30), factor: 2, jitter: 1)
        let none = FixedRandom(0)
        let waits = (0..<8).map { _ in backoff.next(random: none).seconds }
        #expect(waits == [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30, 30])
        backoff.reset()
        #expect(backoff.next(random: FixedRandom(0.5)).seconds == 1.2)
        let seeded = SeededRandom(seed: 42)
        backoff.reset()
        for _ in 0..<20 {
            let wait = backoff.next(random: seeded).seconds
            #expect(wait >= 0.8 && wait <= 60)
        }
    }
}
