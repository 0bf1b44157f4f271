import TestSupport
import ControllerRuntime
import KubeClient
import KubeModel
import Synchronization
import Testing

/// A collection that lists once (after a gate opens) and then watches quietly until cancelled.
final class GatedListerWatcher: ListerWatcher {
    let objects: [JSONValue]
    private let gate = Locked<[CheckedContinuation<Void, Never>]?>([])

    init(names: [String]) {
        objects = names.map { ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string($0), "namespace": "ns", "resourceVersion": "1"]] }
    }

    func open() {
        let waiters = gate.withLock { gate in
            defer { gate = nil }
            return gate ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    func list(transform: ObjectTransform) async throws -> ObjectList {
        await withCheckedContinuation { continuation in
            let wait = gate.withLock { gate -> Bool in
                guard gate != nil else { return false }
                gate!.append(continuation)
                return true
            }
            if !wait { continuation.resume() }
        }
        return ObjectList(items: objects.map(transform.apply), resourceVersion: "1")
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        AsyncThrowingStream { _ in }
    }
}

/// An API server that never answers (until the caller gives up).
struct UnreachableListerWatcher: ListerWatcher {
    func list(transform: ObjectTransform) async throws -> ObjectList {
        try await Task.sleep(for: .seconds(3600))
        throw CancellationError()
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        try await Task.sleep(for: .seconds(3600))
        throw CancellationError()
    }
}

@Suite("Manager")
struct ManagerTests {
    @Test("controllers start only after every cache synced, reconcile each object, and stop before the informers")
    func lifecycle() async throws {
        let source = GatedListerWatcher(names: ["a", "b", "c"])
        let informer = SharedInformer(name: "configmaps", listerWatcher: source)
        let seenCacheSizes = Locked<[Int]>([])
        let reconciled = Locked<Set<String>>([])
        let reconciler = ReconcilerFunction { request in
            seenCacheSizes.withLock { $0.append(informer.cache.count) }
            reconciled.withLock { _ = $0.insert(request.key) }
            return .done
        }
        let controller = Controller(name: "cm", reconciler: reconciler)
        controller.watch(informer)
        let manager = Manager()
        manager.add(informer)
        manager.add(controller)
        let run = Task { await manager.run() }
        #expect(!informer.hasSynced)
        source.open()
        #expect(await eventually { reconciled.withLock { $0 } == ["ns/a", "ns/b", "ns/c"] })
        #expect(seenCacheSizes.withLock { $0 }.allSatisfy { $0 == 3 }, "reconcilers never see a half-filled cache")
        run.cancel()
        #expect(await run.value == .stopped)
        #expect(controller.queue.isShuttingDown)
    }

    @Test("a manager cancelled before its caches sync returns instead of hanging")
    func cancelledBeforeSync() async {
        let manager = Manager()
        manager.add(SharedInformer(name: "never", listerWatcher: UnreachableListerWatcher()))
        let run = Task { await manager.run() }
        run.cancel()
        #expect(await run.value == .stopped)
    }
}

@Suite("Manager with leader election")
struct ManagerLeaderElectionTests {
    @Test("controllers run only while leading, and shutdown releases the lease")
    func leading() async throws {
        let backend = MemoryLeaseBackend()
        let otherHolds = CandidateLeaseStore(backend: backend)
        // Someone else holds a fresh lease first.
        _ = try await otherHolds.create(Lease(metadata: .init(name: otherHolds.name, namespace: otherHolds.namespace),
                                             spec: .init(holderIdentity: "other", leaseDurationSeconds: 15, leaseTransitions: 0)))
        let clock = ManualClock()
        let elector = LeaderElector(config: LeaderElectionConfig(identity: "me"), store: CandidateLeaseStore(backend: backend),
                                    clock: clock, random: FixedRandom(0))
        let source = GatedListerWatcher(names: ["a"])
        source.open()
        let informer = SharedInformer(name: "cm", listerWatcher: source, clock: clock)
        let reconciled = Locked(0)
        let controller = Controller(name: "cm", reconciler: ReconcilerFunction { _ in
            reconciled.withLock { $0 += 1 }
            return .done
        })
        controller.watch(informer)
        let manager = Manager(leaderElector: elector)
        manager.add(informer)
        manager.add(controller)
        let run = Task { await manager.run() }

        #expect(await eventually { informer.hasSynced && clock.sleeperCount >= 1 })
        #expect(reconciled.withLock { $0 } == 0, "not leading yet: nothing reconciled")
        // The other holder stops renewing; after its 15 s lease we take over.
        for _ in 0..<80 where !elector.isLeader {
            _ = await eventually(timeout: .seconds(30)) { clock.sleeperCount >= 1 || elector.isLeader }
            clock.advance(by: .milliseconds(250))
        }
        #expect(await eventually { reconciled.withLock { $0 } == 1 })
        run.cancel()
        #expect(await run.value == .stopped)
        #expect(backend.current?.spec.holderIdentity == "")
    }
}
