import TestSupport
import ControllerRuntime
import DevCluster
import Foundation
import KubeClient
import KubeModel
import Testing

/// A real Lease store that can be "killed": after `cut()` every call fails, as for a dead process.
final class KillableLeaseStore: LeaseStore {
    let inner: KubeLeaseStore
    private let dead = Locked(false)
    var namespace: String { inner.namespace }
    var name: String { inner.name }

    init(_ inner: KubeLeaseStore) { self.inner = inner }
    func cut() { dead.withLock { $0 = true } }
    private func check() throws { if dead.withLock({ $0 }) { throw TransportError(code: .couldNotConnect, message: "killed") } }

    func get() async throws -> Lease? { try check(); return try await inner.get() }
    func create(_ lease: Lease) async throws -> Lease { try check(); return try await inner.create(lease) }
    func update(_ lease: Lease) async throws -> Lease { try check(); return try await inner.update(lease) }
}

@Suite("Leader election on a real Lease")
struct LeaderElectionIntegrationTests {
    /// DevCluster in-process, or the cluster `CAUSEWAY_TEST_KUBECONFIG` names.
    static func client() async throws -> (KubeClient, DevCluster?) {
        if let path = ProcessInfo.processInfo.environment["CAUSEWAY_TEST_KUBECONFIG"] {
            return (KubeClient(config: try KubeConfigFile(path: path).clientConfig()), nil)
        }
        let cluster = try await DevCluster.start(.init())
        let config = try KubeConfigFile(yaml: cluster.kubeconfig()).clientConfig()
        return (KubeClient(config: config), cluster)
    }

    @Test("two candidates: killing the leader hands over, and never two leaders at once")
    func handover() async throws {
        let (client, cluster) = try await Self.client()
        let namespace = "le-" + UUID().uuidString.lowercased().prefix(10)
        _ = try await client.resource(.namespaces).create(["metadata": ["name": .string(String(namespace))]])

        let clock = ManualClock()
        let acting = Locked<Set<String>>([])
        let maxActing = Locked(0)
        func candidate(_ identity: String) -> (LeaderElector, KillableLeaseStore) {
            let store = KillableLeaseStore(KubeLeaseStore(client: client, namespace: String(namespace), name: "causeway-controller"))
            return (LeaderElector(config: LeaderElectionConfig(identity: identity), store: store, clock: clock, random: FixedRandom(0)), store)
        }
        func run(_ elector: LeaderElector) -> Task<Bool, Never> {
            let identity = elector.config.identity
            return Task {
                await elector.run {
                    acting.withLock { acting in
                        acting.insert(identity)
                        maxActing.withLock { $0 = max($0, acting.count) }
                    }
                    let (forever, _) = AsyncStream<Void>.makeStream()
                    for await _ in forever {}
                    _ = acting.withLock { $0.remove(identity) }
                }
            }
        }
        /// Advances in 250 ms steps, each after every live candidate is parked on the clock.
        func advance(until condition: @Sendable () -> Bool, parked: @Sendable () -> Int) async -> Bool {
            for _ in 0..<400 {
                if condition() { return true }
                guard await eventually(timeout: .seconds(30), { condition() || clock.sleeperCount >= parked() }) else { return condition() }
                clock.advance(by: .milliseconds(250))
            }
            return condition()
        }

        let (a, storeA) = candidate("candidate-a")
        let (b, _) = candidate("candidate-b")
        let runA = run(a)
        #expect(await eventually { acting.withLock { $0 == ["candidate-a"] } })
        let runB = run(b)
        #expect(await advance(until: { false }, parked: { 2 }) == false, "b stays out while a renews")
        let leases = client.typed(Lease.self)
        #expect(try await leases.get("causeway-controller", namespace: String(namespace)).spec.holderIdentity == "candidate-a")

        storeA.cut()
        #expect(await advance(until: { acting.withLock { $0 == ["candidate-b"] } }, parked: { a.isLeader ? 2 : 1 }))
        #expect(await runA.value == true)
        #expect(maxActing.withLock { $0 } == 1)
        let lease = try await leases.get("causeway-controller", namespace: String(namespace))
        #expect(lease.spec.holderIdentity == "candidate-b")
        #expect(lease.spec.leaseTransitions == 1)
        #expect(lease.spec.leaseDurationSeconds == 15)

        runB.cancel()
        #expect(await runB.value == false)
        let released = try await leases.get("causeway-controller", namespace: String(namespace))
        #expect(released.spec.holderIdentity == "", "released on shutdown")

        if let cluster { await cluster.stop() } else { _ = try? await client.resource(.namespaces).delete(String(namespace)) }
    }
}
