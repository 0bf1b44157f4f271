import NIOCore
import NIOHTTP1
import ProxyConfig
import Testing
@testable import Proxy

@Suite("Admin endpoint and graceful drain")
struct AdminAndDrainTests {
    @Test func adminServesMetricsReadinessAndConfig() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0, version: "snapshot-7") }
        let admin = try await AdminServer.start(host: "127.0.0.1", port: 0, proxy: fixture.proxy, group: fixture.group)
        let adminPort = try #require(admin.port)
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        _ = try await client.request(.GET, "/ok")
        _ = try await client.request(.GET, "/reset")
        await client.close()

        let metrics = try await TestHTTPClient.get("/metrics", port: adminPort, group: fixture.group)
        #expect(metrics.status == 200)
        #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.body.contains("causeway_requests_total{route=\"default/r\",backend=\"a\",code=\"2xx\"} 1\n"))
        #expect(metrics.body.contains("causeway_requests_total{route=\"default/r\",backend=\"a\",code=\"5xx\"} 1\n"))
        #expect(metrics.body.contains("causeway_request_duration_seconds_count{route=\"default/r\"} 2\n"))
        #expect(metrics.body.contains("# TYPE causeway_upstream_connections gauge\n"))
        #expect(metrics.body.contains("causeway_config_info{version=\"snapshot-7\"} 1\n"))

        let ready = try await TestHTTPClient.get("/ready", port: adminPort, group: fixture.group)
        #expect(ready.status == 200)
        let config = try await TestHTTPClient.get("/config", port: adminPort, group: fixture.group)
        #expect(config.status == 200)
        #expect(config.body.contains("\"version\" : \"snapshot-7\""))
        #expect(config.body.contains("\"backends\""))
        #expect(try await TestHTTPClient.get("/nope", port: adminPort, group: fixture.group).status == 404)
        await admin.stop()
        await fixture.stop()
    }

    @Test func drainFinishesInFlightRequestsAndStopsAccepting() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let port = fixture.port
        let group = fixture.group
        let idle = try await TestHTTPClient.connect(port: port, group: group)
        #expect(try await idle.request(.GET, "/warm").status == 200)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        // The warm-up is recorded as finished a moment after its response reaches the client:
        // wait for that, so the in-flight count seen next is the slow request's own.
        while await fixture.proxy.metricsSnapshot().activeRequests != 0 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        // Slow enough that, even on a loaded machine, it is still in flight when the drain starts.
        let slow = Task { try await TestHTTPClient.get("/slow?ms=3000", port: port, group: group) }
        // Wait until the slow request is in flight before draining.
        while await fixture.proxy.metricsSnapshot().activeRequests == 0 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        await fixture.proxy.drain(timeout: .seconds(10))
        let response = try await slow.value
        #expect(response.status == 200)
        #expect(response.header("connection") == "close")
        #expect(!fixture.proxy.isReady)
        // The idle keep-alive connection was closed and no new connection is accepted.
        await #expect(throws: (any Error).self) { _ = try await idle.request(.GET, "/after") }
        await #expect(throws: (any Error).self) { _ = try await TestHTTPClient.get("/new", port: port, group: group) }
        await fixture.stop()
    }
}
