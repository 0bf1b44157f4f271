import TestSupport
import ControllerRuntime
import KubeClient
import Synchronization
import Testing

@Suite("Controller")
struct ControllerTests {
    @Test("failures are retried with backoff, terminal errors are not, requeueAfter comes back on the clock")
    func outcomes() async {
        let clock = ManualClock()
        let attempts = Locked<[String: Int]>([:])
        let reconciler = ReconcilerFunction { request in
            let n = attempts.withLock { $0[request.key, default: 0] += 1; return $0[request.key]! }
            switch request.name {
            case "flaky" where n < 3: throw KubeClientError("transient")
            case "broken": throw TerminalError(KubeClientError("spec is invalid"))
            case "periodic" where n == 1: return ReconcileResult(requeueAfter: .seconds(300))
            default: return .done
            }
        }
        let queue = WorkQueue<ReconcileRequest>(rateLimiter: ExponentialItemRateLimiter(base: .seconds(1)), clock: clock)
        let controller = Controller(name: "test", reconciler: reconciler, workers: 2, queue: queue)
        let run = Task { await controller.run() }
        for name in ["flaky", "broken", "periodic"] { queue.add(ReconcileRequest(namespace: "ns", name: name)) }

        @Sendable func count(_ name: String) -> Int { attempts.withLock { $0["ns/\(name)", default: 0] } }
        #expect(await eventually { count("flaky") == 1 && count("broken") == 1 && count("periodic") == 1 })
        // flaky waits 1 s, periodic 300 s.
        #expect(await eventually { clock.sleeperCount == 2 })
        clock.advance(by: .seconds(1))
        #expect(await eventually { count("flaky") == 2 && clock.sleeperCount == 2 })
        clock.advance(by: .seconds(2))
        #expect(await eventually { count("flaky") == 3 })
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(300))
        #expect(await eventually { count("periodic") == 2 })
        #expect(await eventually { queue.count == 0 && queue.processingCount == 0 && clock.sleeperCount == 0 })
        #expect(count("broken") == 1, "terminal errors are not retried")
        #expect(queue.numRequeues(ReconcileRequest(namespace: "ns", name: "flaky")) == 0, "success forgets the failures")
        run.cancel()
        await run.value
    }

    @Test("cancelling a controller lets the reconcile in progress finish")
    func gracefulStop() async {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let gateBox = Locked<AsyncStream<Void>?>(gate)
        let started = Locked(false)
        let finished = Locked(false)
        let reconciler = ReconcilerFunction { _ in
            started.withLock { $0 = true }
            for await _ in gateBox.withLock({ $0 })! { break }
            finished.withLock { $0 = true }
            return .done
        }
        let controller = Controller(name: "slow", reconciler: reconciler)
        let run = Task { await controller.run() }
        controller.queue.add(ReconcileRequest(key: "a"))
        #expect(await eventually { started.withLock { $0 } })
        run.cancel()
        #expect(await eventually { controller.queue.isShuttingDown })
        open.yield()
        await run.value
        #expect(finished.withLock { $0 })
    }

    @Test("request keys parse namespace/name")
    func keys() {
        #expect(ReconcileRequest(key: "ns/name") == ReconcileRequest(namespace: "ns", name: "name"))
        #expect(ReconcileRequest(key: "cluster-scoped").namespace == nil)
        #expect(ReconcileRequest(namespace: "", name: "x").key == "x")
    }
}
