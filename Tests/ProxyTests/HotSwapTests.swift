import NIOCore
import ProxyConfig
import Synchronization
import Testing
@testable import Proxy

@Suite("Config hot swap")
struct HotSwapTests {
    /// Config `n` routes to backend a or b (alternating) and stamps `x-config: n` on responses;
    /// every third config drops the unused backend entirely, so its pools are retired mid-load.
    private static func config(_ n: Int, ports: [String: Int]) -> ProxyConfig {
        let target = n % 2 == 0 ? "a" : "b"
        let rule = HTTPRouteRule(
            filters: [.responseHeaderModifier(HTTPHeaderFilter(set: [HTTPHeader(name: "x-config", value: String(n))]))],
            backendRefs: [HTTPBackendRef(backend: target)])
        var backends = [TestConfig.backend("a", port: ports["a"]!), TestConfig.backend("b", port: ports["b"]!)]
        if n % 3 == 0 { backends.removeAll { $0.name != target } }
        return TestConfig.config(version: "v\(n)", routes: [TestConfig.route("r", rules: [rule])], backends: backends)
    }

    @Test func hundredSwapsUnderLoadLoseNoRequest() async throws {
        let swaps = 100
        var collected: [String: Int] = [:]
        let fixture = try await ProxyFixture.start(backends: ["a", "b"]) { p in
            collected = p
            return Self.config(0, ports: p)
        }
        let ports = collected
        let listenerPort = fixture.proxy.activeConfig.listeners[0].port
        let counters = LoadCounters()
        let port = fixture.port
        let group = fixture.group
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<8 {
                tasks.addTask {
                    let client = try await TestHTTPClient.connect(port: port, group: group)
                    while !counters.stop.load(ordering: .relaxed) {
                        do {
                            let response = try await client.request(.POST, "/load", body: ByteBuffer(string: "payload"))
                            if response.status != 200 || response.header("x-config") == nil || !response.body.contains("body-bytes: 7") {
                                counters.failures.add(1, ordering: .relaxed)
                            }
                        } catch {
                            counters.failures.add(1, ordering: .relaxed)
                        }
                        counters.completed.add(1, ordering: .relaxed)
                    }
                    await client.close()
                }
            }
            for n in 1...swaps {

                var next = Self.config(n, ports: ports)
                next.listeners[0].port = listenerPort
                do {
                    try await fixture.proxy.apply(next)
                } catch {
                    Issue.record("config \(n) rejected: \(error)")
                    counters.stop.store(true, ordering: .relaxed)
                    break
                }
                // Let some requests run on each config before the next swap.
                let target = counters.completed.load(ordering: .relaxed) + 8
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(30)
                while counters.completed.load(ordering: .relaxed) < target && clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            counters.stop.store(true, ordering: .relaxed)
            try await tasks.waitForAll()
        }
        #expect(counters.failures.load(ordering: .relaxed) == 0)
        #expect(counters.completed.load(ordering: .relaxed) >= 8 * swaps)
        #expect(fixture.proxy.activeConfig.version == "v\(swaps)")
        let after = try await TestHTTPClient.get("/", port: fixture.port, group: fixture.group)
        #expect(after.header("x-config") == String(swaps))
        await fixture.stop()
    }

    @Test func invalidConfigIsRejectedAndOldOneKeepsServing() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0, version: "good") }
        var bad = fixture.proxy.activeConfig
        bad.version = "bad"
        bad.backends = [Backend(name: "a", endpoints: [Endpoint(host: "127.0.0.1", port: 70000)])]
        await #expect(throws: InvalidConfigError.self) { try await fixture.proxy.apply(bad) }
        #expect(fixture.proxy.activeConfig.version == "good")
        #expect(try await TestHTTPClient.get("/", port: fixture.port, group: fixture.group).status == 200)
        let metrics = await fixture.proxy.prometheusText()
        #expect(metrics.contains("causeway_config_rejections_total 1\n"))
        #expect(metrics.contains("causeway_config_info{version=\"good\"} 1\n"))
        await fixture.stop()
    }

    @Test func swapAddsAndRemovesListeners() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        var next = fixture.proxy.activeConfig
        next.version = "2"
        var second = next.listeners[0]
        second.name = "second"
        next.listeners.append(second)
        try await FreePort.retryingClashes {
            next.listeners[1].port = try await FreePort.find(group: fixture.group)
            try await fixture.proxy.apply(next)
        }
        let secondPort = try #require(fixture.proxy.boundPort(listener: "second"))
        #expect(try await TestHTTPClient.get("/", port: secondPort, group: fixture.group).status == 200)
        next.listeners.removeLast()
        next.version = "3"
        try await fixture.proxy.apply(next)
        #expect(fixture.proxy.boundPort(listener: "second") == nil)
        await #expect(throws: (any Error).self) { _ = try await TestHTTPClient.get("/", port: secondPort, group: fixture.group) }
        await fixture.stop()
    }
}


final class LoadCounters: Sendable {
    let stop = Atomic<Bool>(false)
    let failures = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
}
