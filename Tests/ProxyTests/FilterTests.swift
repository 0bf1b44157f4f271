import NIOCore
import ProxyConfig
import Testing
@testable import Proxy

@Suite("Gateway API filters through real sockets")
struct FilterTests {
    private func start(_ rules: [HTTPRouteRule], backends names: [String] = ["a"]) async throws -> ProxyFixture {
        try await ProxyFixture.start(backends: names) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: rules)],
                backends: ports.map { TestConfig.backend($0.key, port: $0.value) }.sorted { $0.name < $1.name })
        }
    }

    @Test func requestAndResponseHeaderModifiers() async throws {
        let rule = HTTPRouteRule(
            filters: [
                .requestHeaderModifier(HTTPHeaderFilter(
                    set: [HTTPHeader(name: "x-set", value: "new")], add: [HTTPHeader(name: "x-add", value: "added")],
                    remove: ["x-drop"])),
                .responseHeaderModifier(HTTPHeaderFilter(
                    set: [HTTPHeader(name: "x-served-by", value: "causeway")], remove: ["x-remove-me"])),
            ],
            backendRefs: [HTTPBackendRef(backend: "a")])
        let fixture = try await start([rule])
        let response = try await TestHTTPClient.get(
            "/", port: fixture.port, group: fixture.group, headers: [("x-set", "old"), ("x-drop", "gone"), ("x-add", "first")])
        #expect(response.status == 200)
        #expect(response.body.contains("x-set: new\n"))
        #expect(!response.body.contains("x-set: old"))
        #expect(!response.body.contains("x-drop"))
        #expect(response.body.contains("x-add: first\n") && response.body.contains("x-add: added\n"))
        #expect(response.header("x-served-by") == "causeway")
        #expect(response.header("x-remove-me") == nil)
        await fixture.stop()
    }

    @Test func requestRedirectAnswersWithLocation() async throws {
        let rule = HTTPRouteRule(
            matches: [HTTPRouteMatch(path: .prefix("/old"))],
            filters: [.requestRedirect(HTTPRequestRedirectFilter(
                scheme: "https", hostname: "new.example", path: .replacePrefixMatch("/new"), statusCode: 301))])
        let fixture = try await start([rule])
        let response = try await TestHTTPClient.get("/old/page?q=1", port: fixture.port, group: fixture.group)
        #expect(response.status == 301)
        #expect(response.header("location") == "https://new.example/new/page?q=1")
        #expect(fixture.backends["a"]!.requests.load(ordering: .relaxed) == 0)
        await fixture.stop()
    }

    @Test func urlRewriteChangesPathAndHost() async throws {
        let rule = HTTPRouteRule(
            matches: [HTTPRouteMatch(path: .prefix("/api"))],
            filters: [.urlRewrite(HTTPURLRewriteFilter(hostname: "internal.svc", path: .replacePrefixMatch("/v2")))],
            backendRefs: [HTTPBackendRef(backend: "a")])
        let fixture = try await start([rule])
        let response = try await TestHTTPClient.get("/api/users?id=7", port: fixture.port, group: fixture.group)
        #expect(response.body.hasPrefix("GET /v2/users?id=7\n"))
        #expect(response.body.contains("host: internal.svc\n"))
        #expect(response.body.contains("x-forwarded-host: example.com\n"))
        await fixture.stop()
    }

    @Test func weightedBackendRefsSplitTraffic() async throws {
        let rule = HTTPRouteRule(backendRefs: [
            HTTPBackendRef(backend: "a", weight: 1),
            HTTPBackendRef(backend: "b", weight: 1, filters: [
                .responseHeaderModifier(HTTPHeaderFilter(set: [HTTPHeader(name: "x-canary", value: "yes")]))
            ]),
            HTTPBackendRef(backend: "a", weight: 0),
        ])
        let fixture = try await start([rule], backends: ["a", "b"])
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        var counts: [String: Int] = [:]
        for _ in 0..<200 {
            let response = try await client.request(.GET, "/")
            let backend = response.header("x-backend") ?? "?"
            counts[backend, default: 0] += 1
            // Filters on a backendRef apply only when that backend is picked.
            #expect((response.header("x-canary") == "yes") == (backend == "b"))
        }
        // 200 draws at 50%: both sides get traffic; well inside 6 sigma of 100.
        #expect(counts["a", default: 0] > 50 && counts["b", default: 0] > 50)
        #expect(counts["a", default: 0] + counts["b", default: 0] == 200)
        await client.close()
        await fixture.stop()
    }

    @Test func requestMirrorCopiesTraffic() async throws {
        let rule = HTTPRouteRule(
            filters: [.requestMirror(HTTPRequestMirrorFilter(backend: "shadow"))],
            backendRefs: [HTTPBackendRef(backend: "a")])
        let fixture = try await start([rule], backends: ["a", "shadow"])
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        for _ in 0..<5 {
            let response = try await client.request(.POST, "/m", body: ByteBuffer(string: "mirror me"))
            #expect(response.header("x-backend") == "a")
        }
        await client.close()
        let shadow = fixture.backends["shadow"]!
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while shadow.requests.load(ordering: .relaxed) < 5 && clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(shadow.requests.load(ordering: .relaxed) == 5)
        await fixture.stop()
    }

    @Test func mirrorPercentZeroSendsNothing() async throws {
        let rule = HTTPRouteRule(
            filters: [.requestMirror(HTTPRequestMirrorFilter(backend: "shadow", percent: 0))],
            backendRefs: [HTTPBackendRef(backend: "a")])
        let fixture = try await start([rule], backends: ["a", "shadow"])
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        for _ in 0..<5 { _ = try await client.request(.GET, "/") }
        await client.close()
        #expect(fixture.backends["shadow"]!.requests.load(ordering: .relaxed) == 0)
        await fixture.stop()
    }

    @Test func pathMatchPrecedenceRoutesToTheRightBackend() async throws {
        let rules = [
            HTTPRouteRule(matches: [HTTPRouteMatch(path: .prefix("/"))], backendRefs: [HTTPBackendRef(backend: "a")]),
            HTTPRouteRule(matches: [HTTPRouteMatch(path: .prefix("/b"))], backendRefs: [HTTPBackendRef(backend: "b")]),
        ]
        let fixture = try await start(rules, backends: ["a", "b"])
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        #expect(try await client.request(.GET, "/b/x").header("x-backend") == "b")
        #expect(try await client.request(.GET, "/bx").header("x-backend") == "a")
        #expect(try await client.request(.GET, "/").header("x-backend") == "a")
        await client.close()
        await fixture.stop()
    }
}
