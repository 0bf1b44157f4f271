import NIOCore
import NIOPosix
import ProxyConfig
import Testing
@testable import Proxy

/// GEP-1731 retries: an attempt that fails before the response starts — a refused connection, a
/// status in `codes`, or `backendRequest` passing — is sent again, to an endpoint picked anew.
@Suite struct RetryTests {
    /// One cluster whose endpoints are the named backends (and extra ports), round robin.
    static func config(_ ports: [String: Int], endpoints: [String], extraPorts: [Int] = [], rule: (String) -> HTTPRouteRule) -> ProxyConfig {
        let backend = Backend(name: "pool", endpoints: endpoints.map { Endpoint(host: "127.0.0.1", port: ports[$0]!) }
                                  + extraPorts.map { Endpoint(host: "127.0.0.1", port: $0) })
        return TestConfig.config(routes: [TestConfig.route("r", rules: [rule("pool")])], backends: [backend])
    }

    static func statuses(_ fixture: ProxyFixture, _ uri: String, count: Int = 8) async throws -> [Int: Int] {
        var seen: [Int: Int] = [:]
        for _ in 0..<count {
            seen[try await TestHTTPClient.get(uri, port: fixture.port, group: fixture.group).status, default: 0] += 1
        }
        return seen
    }

    @Test func aRefusedConnectionIsRetriedOnAnotherEndpoint() async throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let closed = refusing.port
        let without = try await ProxyFixture.start(backends: ["good"], threads: 1) { ports in
            Self.config(ports, endpoints: ["good"], extraPorts: [closed]) { HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: $0)]) }
        }
        let control = try await Self.statuses(without, "/")
        await without.stop()
        #expect(control[503, default: 0] > 0, "without a retry policy half the requests meet the closed port: \(control)")

        let fixture = try await ProxyFixture.start(backends: ["good"], threads: 1) { ports in
            Self.config(ports, endpoints: ["good"], extraPorts: [closed]) {
                HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: $0)], retry: HTTPRouteRetry(attempts: 2))
            }
        }
        defer { Task { await fixture.stop() } }
        #expect(try await Self.statuses(fixture, "/") == [200: 8])
    }

    @Test func aStatusInCodesIsRetriedAndOthersAreRelayed() async throws {
        let fixture = try await ProxyFixture.start(backends: ["bad", "good"], threads: 1) { ports in
            Self.config(ports, endpoints: ["bad", "good"]) {
                HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: $0)], retry: HTTPRouteRetry(codes: [503], attempts: 1, backoff: .init(milliseconds: 10)))
            }
        }
        defer { Task { await fixture.stop() } }
        #expect(try await Self.statuses(fixture, "/flaky") == [200: 8])
        #expect(fixture.backends["bad"]!.requests.load(ordering: .relaxed) >= 3, "the bad backend was tried, and its 503s retried")
        // A request with a body is not retried: its bytes are streamed, not kept.
        var relayed = 0
        for _ in 0..<4 {
            let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
            let response = try await client.request(.POST, "/flaky", host: "example.com", body: ByteBuffer(string: "payload"))
            if response.status == 503 { relayed += 1 }
            await client.close()
        }
        #expect(relayed > 0, "POSTs with a body reached the bad backend and got its 503")
    }

    @Test func backendRequestBoundsEachAttemptAndTheLastFailureIsAnswered() async throws {
        let fixture = try await ProxyFixture.start(backends: ["bad", "good"], threads: 1) { ports in
            Self.config(ports, endpoints: ["bad", "good"]) {
                HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: $0)], timeouts: HTTPRouteTimeouts(backendRequest: .init(milliseconds: 200)),
                              retry: HTTPRouteRetry(attempts: 2))
            }
        }
        defer { Task { await fixture.stop() } }
        // The bad backend answers 200 too, but only after 2 s: an attempt that was not cut at
        // 200 ms would relay its late answer. Every answer comes from the good one instead.
        var answeredBy: [String: Int] = [:]
        for _ in 0..<6 {
            let response = try await TestHTTPClient.get("/flaky-slow", port: fixture.port, group: fixture.group)
            #expect(response.status == 200)
            answeredBy[response.headers.first(name: "x-backend") ?? "", default: 0] += 1
        }
        #expect(answeredBy == ["good": 6], "each slow attempt was cut at 200 ms and the next one answered")
        // Every endpoint slow: three attempts of 200 ms, then 504.
        let response = try await TestHTTPClient.get("/slow?ms=2000", port: fixture.port, group: fixture.group)
        #expect(response.status == 504)
    }
}
