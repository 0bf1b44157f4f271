import Synchronization
import Testing
import Translator
@testable import Controller

@Suite("Data plane registry")
struct DataPlaneRegistryTests {
    let key = ProxyKey(kind: .gateway, namespace: "default", name: "web")

    /// Counts the reconciles a registry asks for.
    final class Calls: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    func registry() -> (DataPlaneRegistry, Calls) {
        let registry = DataPlaneRegistry()
        let calls = Calls()
        registry.onChange { calls.add() }
        return (registry, calls)
    }

    @Test("acknowledged endpoint updates within a generation ask for no reconcile; what status can show does")
    func reconcilesOnlyForWhatStatusShows() {
        let (registry, calls) = registry()
        let stream = registry.connect(proxy: "p1", for: key)
        #expect(calls.value == 1, "a new proxy counts as one of the Gateway's")
        registry.applied(version: "3-aaaa", proxy: "p1", for: key)
        #expect(calls.value == 2, "the first configuration it serves")
        registry.applied(version: "3-bbbb", proxy: "p1", for: key)
        registry.applied(version: "3-cccc", proxy: "p1", for: key)
        #expect(calls.value == 2, "endpoint updates of the same generation")
        #expect(registry.snapshot()[key]?.first?.appliedVersion == "3-cccc", "recorded all the same")
        registry.rejected(version: "3-dddd", message: "port in use", proxy: "p1", for: key)
        #expect(calls.value == 3, "a refusal")
        registry.applied(version: "3-eeee", proxy: "p1", for: key)
        #expect(calls.value == 4, "the refusal is over")
        registry.applied(version: "4-ffff", proxy: "p1", for: key)
        #expect(calls.value == 5, "a new generation")
        registry.remove(proxy: "p1", for: key, stream: stream)
        #expect(calls.value == 6, "the proxy is gone")
        #expect(registry.snapshot()[key] == nil)
    }

    @Test("a data plane waits for reconnects only until one of its proxies has connected")
    func reconnectGraceEndsWithTheFirstConnection() {
        let registry = DataPlaneRegistry()
        #expect(registry.inReconnectGrace)
        #expect(registry.awaitingReconnect(key), "just started: no report may only mean not reconnected yet")
        let stream = registry.connect(proxy: "p1", for: key)
        registry.remove(proxy: "p1", for: key, stream: stream)
        #expect(!registry.awaitingReconnect(key), "its proxy came and went: no proxy now means none")
        #expect(registry.awaitingReconnect(ProxyKey(kind: .gateway, namespace: "default", name: "other")))
    }
}
