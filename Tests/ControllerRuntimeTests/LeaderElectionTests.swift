import TestSupport
import ControllerRuntime
import Foundation
import KubeClient
import Synchronization
import Testing

/// Two or more candidates on one in-memory Lease and one manual clock.
final class ElectionHarness: Sendable {
    let clock = ManualClock()
    let backend = MemoryLeaseBackend()
    let acting = Locked<Set<String>>([])
    let maxActing = Locked(0)
    let everLed = Locked<[String]>([])

    func candidate(_ identity: String) -> (elector: LeaderElector, store: CandidateLeaseStore) {
        let store = CandidateLeaseStore(backend: backend)
        let elector = LeaderElector(config: LeaderElectionConfig(identity: identity), store: store, clock: clock, random: FixedRandom(0))
        return (elector, store)
    }

    /// The leader's "work": marks itself acting until cancelled.
    func run(_ elector: LeaderElector) -> Task<Bool, Never> {
        let identity = elector.config.identity
        return Task {
            await elector.run {
                self.acting.withLock { acting in
                    acting.insert(identity)
                    self.maxActing.withLock { $0 = max($0, acting.count) }
                }
                self.everLed.withLock { $0.append(identity) }
                let (forever, _) = AsyncStream<Void>.makeStream()
                for await _ in forever {}
                _ = self.acting.withLock { $0.remove(identity) }
            }
        }
    }

    /// Advances time in small steps, letting every candidate settle on the clock between steps,
    /// until `condition` holds; returns the simulated seconds it took.
    func advance(until condition: @Sendable () -> Bool, sleepers: @Sendable () -> Int, limit: Double = 120) async -> Double? {
        let start = clock.now()
        while clock.now().timeIntervalSince(start) <= limit {
            if condition() { return clock.now().timeIntervalSince(start) }
            guard await eventually(timeout: .seconds(30), { condition() || self.clock.sleeperCount >= sleepers() }) else {
                return condition() ? clock.now().timeIntervalSince(start) : nil
            }
            clock.advance(by: .milliseconds(250))
        }
        return condition() ? clock.now().timeIntervalSince(start) : nil
    }
}

@Suite("Leader election")
struct LeaderElectionTests {
    @Test("killing the leader hands over after the lease expires, and two leaders never act at once")
    func handover() async throws {
        let h = ElectionHarness()
        let (a, storeA) = h.candidate("a")
        let (b, _) = h.candidate("b")
        let runA = h.run(a)
        #expect(await eventually { h.acting.withLock { $0 == ["a"] } })
        let runB = h.run(b)
        let lease = try #require(h.backend.current)
        #expect(lease.spec.holderIdentity == "a")
        #expect(lease.spec.leaseDurationSeconds == 15)
        #expect(lease.spec.leaseTransitions == 0)

        // While a renews, b never gets in.
        let aStillLeads = await h.advance(until: { false }, sleepers: { 2 }, limit: 60)
        #expect(aStillLeads == nil)
        #expect(h.acting.withLock { $0 } == ["a"])

        // Kill a: its API calls fail from now on.
        storeA.cut()
        let handover = await h.advance(until: { h.acting.withLock { $0 == ["b"] } }, sleepers: { a.isLeader ? 2 : 1 })
        #expect(handover != nil)
        #expect(await runA.value == true, "a reports lost leadership")
        #expect(h.maxActing.withLock { $0 } == 1)
        #expect(h.backend.current?.spec.holderIdentity == "b")
        #expect(h.backend.current?.spec.leaseTransitions == 1)
        runB.cancel()
        #expect(await runB.value == false)
    }

    @Test("a leader that shuts down releases the lease and the next candidate takes it at once")
    func releaseOnShutdown() async throws {
        let h = ElectionHarness()
        let (a, _) = h.candidate("a")
        let (b, _) = h.candidate("b")
        let runA = h.run(a)
        #expect(await eventually { h.acting.withLock { $0 == ["a"] } })
        let runB = h.run(b)
        #expect(await eventually { h.clock.sleeperCount >= 2 })
        runA.cancel()
        #expect(await runA.value == false)
        #expect(h.backend.current?.spec.holderIdentity == "")
        // b's next retry (2 s, no jitter) finds the lease free: far sooner than the 15 s expiry.
        let took = await h.advance(until: { h.acting.withLock { $0 == ["b"] } }, sleepers: { 1 })
        #expect(took != nil && took! < 15, "well before the 15 s the lease would otherwise take to expire")
        #expect(h.maxActing.withLock { $0 } == 1)
        runB.cancel()
        _ = await runB.value
    }

    @Test("a leader that cannot renew stops acting within the renew deadline")
    func stopsWhenRenewalFails() async throws {
        let h = ElectionHarness()
        let (a, storeA) = h.candidate("a")
        let stopped = Locked(false)
        let run = Task {
            await a.run(onStoppedLeading: { stopped.withLock { $0 = true } }) {
                h.acting.withLock { _ = $0.insert("a") }
                let (forever, _) = AsyncStream<Void>.makeStream()
                for await _ in forever {}
                _ = h.acting.withLock { $0.remove("a") }
            }
        }
        #expect(await eventually { h.acting.withLock { $0 == ["a"] } })
        storeA.cut()
        let lostAfter = await h.advance(until: { stopped.withLock { $0 } }, sleepers: { 1 })
        #expect(lostAfter != nil && lostAfter! < 15, "stops before the 15 s lease expires and another may lead")
        #expect(h.acting.withLock { $0.isEmpty })
        #expect(await run.value == true)
    }
}
