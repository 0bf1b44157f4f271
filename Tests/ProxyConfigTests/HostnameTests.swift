import Testing
@testable import ProxyConfig

private typealias F = Fixtures

@Suite struct HostnameTests {
    @Test(arguments: [
        ("*.example.com", "a.example.com", true),
        ("*.example.com", "a.b.example.com", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", "aexample.com", false),
        ("*.example.com", ".example.com", false),
        ("example.com", "example.com", false),  // not a wildcard pattern
    ])
    func wildcardMatchesOneOrMoreLabels(pattern: String, name: String, expected: Bool) {
        #expect(Hostname.wildcard(pattern, matches: name) == expected)
    }

    @Test(arguments: [
        (nil, [], Hostname.Set.any),
        (nil, ["a.com", "*.b.com"], .names(["a.com", "*.b.com"])),
        ("a.com", [], .names(["a.com"])),
        ("*.example.com", ["foo.example.com", "bar.other.com"], .names(["foo.example.com"])),
        ("foo.example.com", ["*.example.com"], .names(["foo.example.com"])),
        ("*.example.com", ["*.foo.example.com"], .names(["*.foo.example.com"])),
        ("*.foo.example.com", ["*.example.com"], .names(["*.foo.example.com"])),
        ("*.example.com", ["example.com"], .names([])),
        ("a.com", ["b.com"], .names([])),
        ("*.example.com", ["*.other.com"], .names([])),
        ("Foo.Example.com", ["foo.example.COM"], .names(["foo.example.com"])),
        ("*.example.com", ["a.example.com", "*.example.com", "a.example.com"], .names(["a.example.com", "*.example.com"])),
    ] as [(String?, [String], Hostname.Set)])
    func listenerRouteIntersection(listener: String?, route: [String], expected: Hostname.Set) {
        #expect(Hostname.intersection(listener: listener, route: route) == expected)
    }

    @Test(arguments: [
        ("example.com", "example.com"), ("Example.COM", "example.com"), ("example.com:8080", "example.com"),
        ("example.com.", "example.com"), ("EXAMPLE.com.:443", "example.com"), ("[::1]:8080", "[::1]"), ("[::1]", "[::1]"),
    ])
    func requestHostNormalization(host: String, expected: String) {
        #expect(Hostname.normalizedRequestHost(host) == expected)
    }

    @Test func exactHostnameBeatsWildcardAndUnmatchedHostsGetNoRoute() throws {
        let table = try F.table([
            F.route("default/wild", hostnames: ["*.example.com"], rules: [F.rule()]),
            F.route("default/exact", hostnames: ["foo.example.com"], rules: [F.rule()]),
        ])
        #expect(table.winner(host: "foo.example.com", "/") == "default/exact#0")
        #expect(table.winner(host: "FOO.example.com:8080", "/") == "default/exact#0")
        #expect(table.winner(host: "bar.example.com", "/") == "default/wild#0")
        #expect(table.winner(host: "a.bar.example.com", "/") == "default/wild#0")
        #expect(table.winner(host: "example.com", "/") == nil)
        #expect(table.winner(host: "other.com", "/") == nil)
    }

    @Test func hostnameSpecificityComesBeforePathPrecedenceButFallsThrough() throws {
        let table = try F.table([
            F.route("default/wild", hostnames: ["*.example.com"], rules: [F.rule(HTTPRouteMatch(path: .exact("/a")))]),
            F.route("default/exact", hostnames: ["foo.example.com"], rules: [F.rule(HTTPRouteMatch(path: .prefix("/")))]),
            F.route("default/any", rules: [F.rule(HTTPRouteMatch(path: .exact("/b")))]),
        ])
        // The exact-host route wins even against an Exact path on the wildcard route...
        #expect(table.winner(host: "foo.example.com", "/a") == "default/exact#0")
        #expect(table.winner(host: "bar.example.com", "/a") == "default/wild#0")
        // ...and routes with less specific hostnames still serve what it does not match.
        #expect(table.winner(host: "bar.example.com", "/b") == "default/any#0")
        #expect(table.winner(host: "unrelated.org", "/b") == "default/any#0")
        #expect(table.winner(host: "unrelated.org", "/a") == nil)
    }

    @Test func longestWildcardWins() throws {
        let table = try F.table([
            F.route("default/short", hostnames: ["*.example.com"], rules: [F.rule()]),
            F.route("default/long", hostnames: ["*.a.example.com"], rules: [F.rule()]),
        ])
        #expect(table.winner(host: "x.a.example.com", "/") == "default/long#0")
        #expect(table.winner(host: "a.example.com", "/") == "default/short#0")
        #expect(table.winner(host: "x.b.example.com", "/") == "default/short#0")
    }

    @Test func routeHostnamesAreIntersectedWithTheListenerHostname() throws {
        let table = try F.table(
            [
                F.route("default/inside", hostnames: ["foo.example.com", "foo.other.com"], rules: [F.rule()]),
                F.route("default/outside", hostnames: ["bar.other.com"], rules: [F.rule()]),
                F.route("default/none", rules: [F.rule(HTTPRouteMatch(path: .prefix("/none")))]),
            ],
            listenerHostname: "*.example.com")
        #expect(table.winner(host: "foo.example.com", "/") == "default/inside#0")
        #expect(table.winner(host: "foo.other.com", "/") == nil)
        #expect(table.winner(host: "bar.other.com", "/") == nil)
        #expect(table.winner(host: "x.example.com", "/none") == "default/none#0")
        #expect(table.winner(host: "example.com", "/none") == nil)
    }

    @Test func theMostSpecificListenerIsolatesItsRoutes() throws {
        let table = try F.table(virtualHosts: [
            VirtualHost(name: "wild", hostname: "*.example.com", routes: [F.route("default/wild", rules: [F.rule()])]),
            VirtualHost(
                name: "foo", hostname: "foo.example.com",
                routes: [F.route("default/foo", rules: [F.rule(HTTPRouteMatch(path: .prefix("/only")))])]),
            VirtualHost(name: "any", routes: [F.route("default/any", rules: [F.rule()])]),
        ])
        #expect(table.winner(host: "foo.example.com", "/only/x") == "default/foo#0")
        #expect(table.winner(host: "foo.example.com", "/other") == nil)
        #expect(table.winner(host: "bar.example.com", "/other") == "default/wild#0")
        #expect(table.winner(host: "elsewhere.org", "/other") == "default/any#0")
        #expect(table.match(host: "foo.example.com", method: "GET", target: "/only", headers: HeaderList())?.virtualHost == "foo")
    }

    @Test func certificateSelectionBySNI() {
        func cert(_ name: String, _ hostnames: [String]) -> TLSCertificate {
            TLSCertificate(hostnames: hostnames, certificateChain: .file("/\(name).crt"), privateKey: .file("/\(name).key"))
        }
        let tls = TLSConfig(certificates: [
            cert("wild", ["*.example.com"]), cert("default", []), cert("foo", ["foo.example.com", "foo.example.org"]),
        ])
        func pick(_ sni: String?) -> PEMSource? { tls.certificate(forServerName: sni)?.certificateChain }
        #expect(pick("foo.example.com") == .file("/foo.crt"))
        #expect(pick("FOO.example.org") == .file("/foo.crt"))
        #expect(pick("bar.example.com") == .file("/wild.crt"))
        #expect(pick("example.com") == .file("/default.crt"))
        #expect(pick(nil) == .file("/default.crt"))
        let noDefault = TLSConfig(certificates: [cert("wild", ["*.example.com"])])
        #expect(noDefault.certificate(forServerName: "other.org")?.certificateChain == .file("/wild.crt"))
        #expect(TLSConfig(certificates: []).certificate(forServerName: "x") == nil)
    }

    @Test func hostTableVisitsMostSpecificFirst() {
        var table = HostTable<String>()
        for pattern in ["*.example.com", "a.b.example.com", "*.b.example.com", "*.com", "other.org"] { table[pattern: pattern] = pattern }
        table[pattern: nil] = "any"
        func order(_ host: String) -> [String] {
            var seen: [String] = []
            _ = table.visit(forHost: host) { seen.append($0); return false }
            return seen
        }
        #expect(order("a.b.example.com") == ["a.b.example.com", "*.b.example.com", "*.example.com", "*.com", "any"])
        #expect(order("x.b.example.com") == ["*.b.example.com", "*.example.com", "*.com", "any"])
        #expect(order("b.example.com") == ["*.example.com", "*.com", "any"])
        #expect(order("example.com") == ["*.com", "any"])
        #expect(order("com") == ["any"])
        #expect(order(".com") == ["any"])
        #expect(order("other.org") == ["other.org", "any"])
        #expect(table.mostSpecific(forHost: "q.example.com") == "*.example.com")
        #expect(table[pattern: "*.b.example.com"] == "*.b.example.com")
    }

    @Test func aRouteNamingExactAndWildcardHostsIsTriedAtItsMostSpecific() throws {
        let table = try F.table([
            F.route("default/both", hostnames: ["a.example.com", "*.example.com"], rules: [F.rule(HTTPRouteMatch(path: .prefix("/x")))]),
            F.route("default/wild", hostnames: ["*.example.com"], rules: [F.rule(HTTPRouteMatch(path: .exact("/x/y")))]),
        ])
        // For a.example.com the exact hostname outranks the wildcard route's Exact path...
        #expect(table.winner(host: "a.example.com", "/x/y") == "default/both#0")
        // ...for b.example.com both routes are wildcard matches, so path precedence decides.
        #expect(table.winner(host: "b.example.com", "/x/y") == "default/wild#0")
        let vh = try #require(table.virtualHost(forNormalizedHost: "a.example.com"))
        #expect(vh.candidates(forNormalizedHost: "a.example.com").map(\.rule.route.name) == ["both", "wild", "both"])
    }

    @Test(arguments: [
        ("foo.example.com", "foo.example.com", false), ("foo.example.com", "FOO.example.com:443", false),
        ("a.example.com", "b.example.com", false),  // both on the wildcard listener
        ("foo.example.com", "bar.example.com", true), ("bar.example.com", "foo.example.com", true),
        ("foo.example.com", "other.org", true), ("other.org", "elsewhere.org", false),
    ] as [(String, String, Bool)])
    func misdirectedWhenSNIAndHostPickDifferentListeners(sni: String, host: String, expected: Bool) throws {
        let table = try F.table(virtualHosts: [
            VirtualHost(name: "wild", hostname: "*.example.com", routes: [F.route("default/wild", rules: [F.rule()])]),
            VirtualHost(name: "foo", hostname: "foo.example.com", routes: [F.route("default/foo", rules: [F.rule()])]),
            VirtualHost(name: "any", routes: [F.route("default/any", rules: [F.rule()])]),
        ])
        #expect(table.isMisdirected(serverName: sni, host: host) == expected)
        #expect(!table.isMisdirected(serverName: nil, host: host))
    }

    @Test func ruleNamesMustBeUniqueLabels() {
        let route = F.route("default/r", rules: [
            HTTPRouteRule(name: "main", backendRefs: [HTTPBackendRef(backend: "b")]),
            HTTPRouteRule(name: "main", backendRefs: [HTTPBackendRef(backend: "b")]),
            HTTPRouteRule(name: "Bad.Name", backendRefs: [HTTPBackendRef(backend: "b")]),
        ])
        let problems = F.config(virtualHosts: [VirtualHost(name: "vh", routes: [route])]).validate()
        let prefix = "listeners[0].virtualHosts[0].routes[0]"
        #expect(problems.map(\.path) == ["\(prefix).rules[1].name", "\(prefix).rules[2].name"])
        #expect(problems.map(\.reason) == [.duplicate, .invalid])
    }
}
