import Testing
@testable import ProxyConfig

@Suite struct CompiledConfigTests {
    @Test func indexesListenersAndBackendsByName() throws {
        let config = ProxyConfig(
            version: "7",
            listeners: [
                Listener(name: "http", port: 80, virtualHosts: [VirtualHost(name: "vh", routes: [
                    Fixtures.route("default/r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "c")])]),
                ])]),
                Listener(name: "alt", port: 8080),
            ],
            backends: Fixtures.backends)
        let compiled = try config.compile()
        #expect(compiled.version == "7" && compiled.source == config)
        #expect(compiled.listener(named: "alt")?.listener.port == 8080)
        #expect(compiled.listener(named: "missing") == nil)
        #expect(compiled.backendIndex(named: "c") == 1 && compiled.backendIndex(named: "nope") == nil)
        let matched = try #require(compiled.listener(named: "http")?.routeTable.match(
            host: "x", method: "GET", target: "/", headers: HeaderList()))
        guard case .forward(let ref) = matched.rule.action(random: 0) else { Issue.record("expected forward"); return }
        #expect(compiled.backends[try #require(ref.backendIndex)].name == "c")
        #expect(matched.rule.label == "default/r/0")
        #expect(compiled.listener(named: "alt")?.routeTable.match(host: "x", method: "GET", target: "/", headers: HeaderList()) == nil)
    }

    @Test func routesOutsideTheListenerHostnameDoNotAttach() throws {
        let table = try Fixtures.table(
            [Fixtures.route("default/elsewhere", hostnames: ["other.org"], rules: [Fixtures.rule()])],
            listenerHostname: "*.example.com")
        #expect(table.winner(host: "other.org", "/") == nil)
        #expect(table.winner(host: "a.example.com", "/") == nil)
        #expect(table.virtualHosts.count == 1)
    }

    @Test func routeIdentityCarriesTheParsedTimestamp() {
        let identity = RouteIdentity(HTTPRoute(namespace: "ns", name: "n", creationTimestamp: "1970-01-01T00:01:00Z"))
        #expect(identity.qualifiedName == "ns/n")
        #expect(identity.creationTimestamp?.secondsSinceEpoch == 60)
    }

    @Test func candidateOrderExplainsPrecedence() throws {
        let table = try Fixtures.table([
            Fixtures.route("default/b", hostnames: ["*.example.com"], rules: [Fixtures.rule(HTTPRouteMatch(path: .exact("/x")))]),
            Fixtures.route("default/a", hostnames: ["a.example.com"], rules: [
                Fixtures.rule(HTTPRouteMatch(path: .prefix("/")), HTTPRouteMatch(path: .prefix("/long"), method: .get)),
            ]),
            Fixtures.route("default/c", rules: [Fixtures.rule(HTTPRouteMatch(path: .regex("/r.*")))]),
        ])
        #expect(table.candidateOrder(forHost: "A.example.com:80").map(\.description) == [
            "default/a rule 0 match 1: PathPrefix /long method GET",
            "default/a rule 0 match 0: PathPrefix /",
            "default/b rule 0 match 0: Exact /x",
            "default/c rule 0 match 0: RegularExpression /r.*",
        ])
        #expect(table.candidateOrder(forHost: "other.org").map(\.route.name) == ["c"])
    }
}
