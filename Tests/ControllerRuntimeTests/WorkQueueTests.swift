import TestSupport
import ControllerRuntime
import KubeClient
import Synchronization
import Testing

@Suite("Work queue")
struct WorkQueueTests {
    @Test("adds are deduplicated while waiting, order is FIFO")
    func dedup() async {
        let queue = WorkQueue<String>()
        for key in ["a", "b", "a", "c", "b"] { queue.add(key) }
        #expect(queue.count == 3)
        var got: [String] = []
        for _ in 0..<3 { got.append(await queue.get()!) }
        #expect(got == ["a", "b", "c"])
    }

    @Test("a key being processed is not handed out again until done, then it comes back once")
    func exclusive() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let first = await queue.get()
        #expect(first == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0, "re-added while processing: parked, not queued")
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test("concurrent workers never hold the same key at once")
    func concurrentWorkers() async {
        let queue = WorkQueue<Int>()
        let inFlight = Locked<Set<Int>>([])
        let violations = Locked(0)
        let processed = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.get() {
                        let clash = inFlight.withLock { !$0.insert(key).inserted }
                        if clash { violations.withLock { $0 += 1 } }
                        await Task.yield()
                        _ = inFlight.withLock { $0.remove(key) }
                        processed.withLock { $0 += 1 }
                        queue.done(key)
                    }
                }
            }
            for round in 0..<200 { queue.add(round % 5) ; if round % 7 == 0 { await Task.yield() } }
            #expect(await eventually { queue.count == 0 && queue.processingCount == 0 })
            queue.shutdown()
        }
        #expect(violations.withLock { $0 } == 0)
        #expect(processed.withLock { $0 } >= 5)
    }

    @Test("addAfter waits on the clock; the earliest of two delays wins")
    func delayed() async {
        let clock = ManualClock()
        let queue = WorkQueue<String>(clock: clock)
        queue.addAfter("a", .seconds(10))
        queue.addAfter("a", .seconds(3))
        queue.addAfter("a", .seconds(20))
        // The 10 s timer is cancelled when the 3 s one supersedes it; the 20 s one is never started.
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(3))
        #expect(await eventually { queue.count == 1 })
        #expect(clock.sleeperCount == 0, "nothing else is pending")
    }

    @Test("rate-limited requeue backs off exponentially per item and forget resets it")
    func rateLimited() {
        let limiter = ExponentialItemRateLimiter<String>(base: .milliseconds(5), maximum: .seconds(1000))
        #expect([limiter.when("a"), limiter.when("a"), limiter.when("a"), limiter.when("b")] ==
                [.milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(5)])
        #expect(limiter.failures("a") == 3)
        limiter.forget("a")
        #expect(limiter.when("a") == .milliseconds(5))
        for _ in 0..<40 { _ = limiter.when("c") }
        #expect(limiter.when("c") == .seconds(1000))

        let clock = ManualClock()
        let combined = MaxOfItemRateLimiter<String>([ExponentialItemRateLimiter<String>(), BucketItemRateLimiter<String>(qps: 10, burst: 2, clock: clock)])
        #expect(combined.when("x") == .milliseconds(5))
        #expect(combined.when("y") == .milliseconds(5))
        #expect(combined.when("z") == .milliseconds(100), "the overall bucket is empty: its wait dominates")
    }

    @Test("shutdown hands out what is queued, then nil, ignores new adds, and drain waits for workers")
    func shutdown() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        queue.add("b")
        let a = await queue.get()
        let drained = Locked(false)
        let drain = Task {
            await queue.shutdownAndDrain()
            drained.withLock { $0 = true }
        }
        #expect(await eventually { queue.isShuttingDown })
        queue.add("c")
        #expect(await queue.get() == "b")
        queue.done("b")
        #expect(await queue.get() == nil)
        #expect(!drained.withLock { $0 }, "a is still being processed")
        queue.done(a!)
        await drain.value
        #expect(drained.withLock { $0 })
    }

    @Test("an idle worker is woken with nil on shutdown")
    func idleWorker() async {
        let queue = WorkQueue<String>()
        let worker = Task { await queue.get() }
        queue.shutdown()
        #expect(await worker.value == nil)
    }
}
