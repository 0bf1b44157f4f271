import Foundation
import NIOCore
import NIOHTTP1
import ProxyConfig
import Testing
import TestSupport
@testable import Proxy

@Suite("HTTP/1.1 forwarding")
struct ForwardingTests {
    @Test func forwardsWithProxyHeaders() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let response = try await TestHTTPClient.get(
            "/hello?x=1", port: fixture.port, group: fixture.group,
            headers: [("connection", "keep-alive, x-hop"), ("x-hop", "secret"), ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")])
        #expect(response.status == 200)
        #expect(response.header("x-backend") == "a")
        #expect(response.body.hasPrefix("GET /hello?x=1\n"))
        #expect(response.body.contains("x-forwarded-for: 127.0.0.1"))
        #expect(response.body.contains("x-forwarded-proto: http"))
        #expect(response.body.contains("x-forwarded-host: example.com"))
        #expect(response.body.contains("x-request-id: "))
        #expect(response.body.contains("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
        #expect(!response.body.contains("x-hop"))
        #expect(!response.body.contains("connection:"))
        await fixture.stop()
    }

    @Test func keepsClientRequestID() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let response = try await TestHTTPClient.get("/", port: fixture.port, group: fixture.group, headers: [("x-request-id", "abc-123")])
        #expect(response.body.contains("x-request-id: abc-123\n"))
        await fixture.stop()
    }

    @Test func keepAliveReusesUpstreamConnections() async throws {
        let fixture = try await ProxyFixture.start(threads: 1) { TestConfig.simple($0) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        for index in 0..<20 {
            let response = try await client.request(.GET, "/n/\(index)")
            #expect(response.status == 200)
            #expect(response.body.hasPrefix("GET /n/\(index)\n"))
        }
        await client.close()
        #expect(fixture.backends["a"]!.requests.load(ordering: .relaxed) == 20)
        // One event loop, sequential requests: one pooled upstream connection serves them all.
        #expect(fixture.backends["a"]!.connections.load(ordering: .relaxed) == 1)
        await fixture.stop()
    }

    @Test func idleUpstreamConnectionsCloseAfterTheBackendIdleTimeout() async throws {
        let fixture = try await ProxyFixture.start(threads: 1) { ports in
            var config = TestConfig.simple(ports)
            config.backends[0].idleTimeout = GatewayDuration(milliseconds: 1_000)
            return config
        }
        let backend = fixture.backends["a"]!
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        // Two concurrent requests leave two idle connections; a third reuses one of them.
        async let first = TestHTTPClient.get("/slow?ms=100", port: fixture.port, group: fixture.group)
        async let second = TestHTTPClient.get("/slow?ms=100", port: fixture.port, group: fixture.group)
        #expect(try await first.status == 200)
        #expect(try await second.status == 200)
        #expect(try await client.request(.GET, "/reuse").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 2)
        // Both close once idle for the timeout, and the next request dials a new one.
        #expect(await eventually(timeout: .seconds(5)) { backend.closedConnections.load(ordering: .relaxed) == 2 })
        #expect(try await client.request(.GET, "/after").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 3)
        await client.close()
        await fixture.stop()
    }

    @Test func upstreamConnectionRetiresAfterMaxRequests() async throws {
        let fixture = try await ProxyFixture.start(threads: 1) { ports in
            var config = TestConfig.simple(ports)
            config.backends[0].connectionPool.maxRequestsPerConnection = 2
            return config
        }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        for _ in 0..<6 { #expect(try await client.request(.GET, "/").status == 200) }
        await client.close()
        #expect(fixture.backends["a"]!.connections.load(ordering: .relaxed) == 3)
        await fixture.stop()
    }

    @Test func expectContinueIsAnsweredByTheProxy() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let raw = "POST /e HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [100, 200])
        #expect(text.contains("body-bytes: 4\n"))
        #expect(!text.contains("expect: 100-continue"))
        await fixture.stop()
    }

    @Test func pipelinedRequestsAnswerInOrder() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        var raw = ""
        for index in 0..<5 { raw += "GET /p/\(index) HTTP/1.1\r\nHost: example.com\r\n\r\n" }
        raw += "GET /p/last HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [200, 200, 200, 200, 200, 200])
        var cursor = text.startIndex
        for path in ["/p/0", "/p/1", "/p/2", "/p/3", "/p/4", "/p/last"] {
            let found = text.range(of: "GET \(path)\n", range: cursor..<text.endIndex)
            #expect(found != nil, "response for \(path) missing or out of order")
            if let found { cursor = found.upperBound }
        }
        await fixture.stop()
    }

    @Test func uploadStreamsBody() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        let body = ByteBuffer(repeating: UInt8(ascii: "u"), count: 3 << 20)
        let response = try await client.request(.POST, "/upload", body: body)
        #expect(response.status == 200)
        #expect(response.body.contains("body-bytes: \(3 << 20)\n"))
        let large = try await client.request(.GET, "/bytes?n=\(5 << 20)")
        #expect(large.bodyBytes == 5 << 20)
        await client.close()
        await fixture.stop()
    }

    @Test func chunkedUploadIsForwarded() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let raw = "POST /c HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [200])
        #expect(text.contains("body-bytes: 11\n"))
        await fixture.stop()
    }

    @Test func noRouteIs404AndInvalidBackendIs500() async throws {
        let fixture = try await ProxyFixture.start { ports in
            TestConfig.config(
                routes: [
                    TestConfig.route("good", hostnames: ["good.example"], rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])]),
                    TestConfig.route("broken", hostnames: ["broken.example"], rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: nil)])]),
                ],
                backends: [TestConfig.backend("a", port: ports["a"]!)])
        }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        #expect(try await client.request(.GET, "/", host: "other.example").status == 404)
        #expect(try await client.request(.GET, "/", host: "broken.example").status == 500)
        #expect(try await client.request(.GET, "/", host: "good.example").status == 200)
        await client.close()
        await fixture.stop()
    }

    @Test func slowBackendTimesOutWith504() async throws {
        let rule = HTTPRouteRule(
            backendRefs: [HTTPBackendRef(backend: "a")],
            timeouts: HTTPRouteTimeouts(request: GatewayDuration(milliseconds: 200)))
        let fixture = try await ProxyFixture.start { TestConfig.simple($0, rule: rule) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        let response = try await client.request(.GET, "/slow?ms=3000")
        #expect(response.status == 504)
        // The connection stays usable after a timeout.
        #expect(try await client.request(.GET, "/after").status == 200)
        await client.close()
        await fixture.stop()
    }

    @Test func backendTimeoutAlsoGives504() async throws {
        let rule = HTTPRouteRule(
            backendRefs: [HTTPBackendRef(backend: "a")],
            timeouts: HTTPRouteTimeouts(request: .seconds(10), backendRequest: GatewayDuration(milliseconds: 150)))
        let fixture = try await ProxyFixture.start { TestConfig.simple($0, rule: rule) }
        let response = try await TestHTTPClient.get("/slow?ms=2000", port: fixture.port, group: fixture.group)
        #expect(response.status == 504)
        await fixture.stop()
    }

    @Test func backendResetGives502AndProxyKeepsServing() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        #expect(try await client.request(.GET, "/reset").status == 502)
        #expect(try await client.request(.GET, "/fine").status == 200)
        await client.close()
        await fixture.stop()
    }

    @Test func staleKeepAliveIsRetriedOnAFreshConnection() async throws {
        let fixture = try await ProxyFixture.start(threads: 1) { TestConfig.simple($0) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        #expect(try await client.request(.GET, "/poison").status == 200)
        // The pooled connection is now dead on arrival; an idempotent request is resent once.
        let retried = try await client.request(.GET, "/after")
        #expect(retried.status == 200)
        #expect(retried.body.hasPrefix("GET /after\n"))
        #expect(try await client.request(.GET, "/poison").status == 200)
        // A POST is not idempotent: it is not resent, the client gets 502.
        #expect(try await client.request(.POST, "/after").status == 502)
        await client.close()
        await fixture.stop()
    }

    @Test func backendConnectionCloseIsNotReused() async throws {
        let fixture = try await ProxyFixture.start(threads: 1) { TestConfig.simple($0) }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        for _ in 0..<3 {
            let response = try await client.request(.POST, "/close", body: ByteBuffer(string: "x"))
            #expect(response.status == 200)
            // Hop-by-hop: the backend's Connection header is not relayed; the client connection stays open.
            #expect(response.header("connection") == nil)
        }
        await client.close()
        #expect(fixture.backends["a"]!.connections.load(ordering: .relaxed) == 3)
        await fixture.stop()
    }

    @Test func unreachableBackendGives503() async throws {
        let fixture = try await ProxyFixture.start { ports in
            var config = TestConfig.simple(ports)
            // Port 1 on loopback: nothing listens, the connection is refused.
            config.backends = [Backend(name: "a", endpoints: [Endpoint(host: "127.0.0.1", port: 1)])]
            return config
        }
        #expect(try await TestHTTPClient.get("/", port: fixture.port, group: fixture.group).status == 503)
        await fixture.stop()
    }

    @Test func roundRobinHonoursWeights() async throws {
        let fixture = try await ProxyFixture.start(backends: ["a", "b"], threads: 1) { ports in
            var config = TestConfig.simple(ports)
            config.backends = [
                Backend(name: "a", endpoints: [
                    Endpoint(host: "127.0.0.1", port: ports["a"]!, weight: 3),
                    Endpoint(host: "127.0.0.1", port: ports["b"]!, weight: 1),
                ])
            ]
            return config
        }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        var counts: [String: Int] = [:]
        for _ in 0..<40 {
            let response = try await client.request(.GET, "/")
            counts[response.header("x-backend") ?? "?", default: 0] += 1
        }
        // Smooth weighted round robin is exact over whole cycles of 4.
        #expect(counts == ["a": 30, "b": 10])
        await client.close()
        await fixture.stop()
    }
}
