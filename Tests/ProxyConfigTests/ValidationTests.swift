import Testing
@testable import ProxyConfig

@Suite struct ValidationTests {
    /// A snapshot with one mistake of each kind; every one must be reported at its path.
    static var broken: ProxyConfig {
        let rules: [HTTPRouteRule] = [
            HTTPRouteRule(
                matches: [
                    HTTPRouteMatch(path: .exact("foo")),
                    HTTPRouteMatch(path: .regex("(unclosed")),
                    HTTPRouteMatch(path: .prefix("/a//b"), headers: [
                        HTTPHeaderMatch(type: .regularExpression, name: "x", value: "[z-a]"),
                        HTTPHeaderMatch(name: "X", value: "again"),
                        HTTPHeaderMatch(name: "bad header", value: "v"),
                    ]),
                ],
                backendRefs: [HTTPBackendRef(backend: "missing"), HTTPBackendRef(backend: "b", weight: -1)]),
            HTTPRouteRule(
                matches: [HTTPRouteMatch(path: .exact("/x"))],
                filters: [
                    .requestRedirect(HTTPRequestRedirectFilter(scheme: "ftp", path: .replacePrefixMatch("/y"), statusCode: 305)),
                    .urlRewrite(HTTPURLRewriteFilter(hostname: "*.wild.com")),
                    .requestMirror(HTTPRequestMirrorFilter(backend: "b", percent: 150, fraction: Fraction(numerator: 1))),
                ],
                timeouts: HTTPRouteTimeouts(request: GatewayDuration("10s"), backendRequest: GatewayDuration("1m"))),
        ]
        return ProxyConfig(
            version: "",
            listeners: [
                Listener(name: "web", port: 80, virtualHosts: [
                    VirtualHost(name: "vh", hostname: "Bad_Host.com", routes: [
                        HTTPRoute(namespace: "default", name: "r", creationTimestamp: "yesterday", hostnames: ["ok.example.com"], rules: rules),
                    ])
                ]),
                Listener(name: "web", address: "127.0.0.1", port: 80, protocol: .https),
            ],
            backends: [
                Backend(name: "b", endpoints: [Endpoint(host: "10.0.0.1", port: 0)]),
                Backend(name: "b"),
            ])
    }

    @Test func reportsEveryProblemWithItsPath() {
        let route = "listeners[0].virtualHosts[0].routes[0]"
        let expected: [(String, ConfigProblem.Reason)] = [
            ("version", .required),
            ("backends[0].endpoints[0].port", .outOfRange),
            ("backends[1].name", .duplicate),
            ("listeners[0].virtualHosts[0].hostname", .invalid),
            ("\(route).creationTimestamp", .invalid),
            ("\(route).rules[0].matches[0].path.value", .invalid),
            ("\(route).rules[0].matches[1].path.value", .invalid),
            ("\(route).rules[0].matches[2].path.value", .invalid),
            ("\(route).rules[0].matches[2].headers[0].value", .invalid),
            ("\(route).rules[0].matches[2].headers[1].name", .duplicate),
            ("\(route).rules[0].matches[2].headers[2].name", .invalid),
            ("\(route).rules[0].backendRefs[0].backend", .unknownReference),
            ("\(route).rules[0].backendRefs[1].weight", .outOfRange),
            ("\(route).rules[1].filters[0].requestRedirect.scheme", .invalid),
            ("\(route).rules[1].filters[0].requestRedirect.statusCode", .invalid),
            ("\(route).rules[1].filters[0].requestRedirect.path.replacePrefixMatch", .conflict),
            ("\(route).rules[1].filters[1].urlRewrite.hostname", .invalid),
            ("\(route).rules[1].filters[2].requestMirror", .conflict),
            ("\(route).rules[1].filters[2].requestMirror.percent", .outOfRange),
            ("\(route).rules[1].filters", .conflict),
            ("\(route).rules[1].timeouts.backendRequest", .conflict),
            ("listeners[1].name", .duplicate),
            ("listeners[1].port", .duplicate),
            ("listeners[1].tls", .required),
        ]
        let problems = Self.broken.validate()
        #expect(problems.map(\.path).sorted() == expected.map(\.0).sorted())
        for (path, reason) in expected {
            #expect(problems.contains { $0.path == path && $0.reason == reason }, "\(path) \(reason)")
        }
    }

    @Test func messagesNameTheRule() {
        let problems = Self.broken.validate().map(\.description)
        let route = "listeners[0].virtualHosts[0].routes[0]"
        #expect(problems.contains("\(route).rules[0].matches[0].path.value: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"))
        #expect(problems.contains("\(route).rules[0].matches[2].path.value: must not contain '//' when type one of ['Exact', 'PathPrefix']"))
        #expect(problems.contains("\(route).rules[0].backendRefs[0].backend: unknown backend \"missing\""))
        #expect(problems.contains("\(route).rules[1].filters[0].requestRedirect.statusCode: must be one of 301, 302, 303, 307, 308, got 305"))
        #expect(problems.contains("\(route).rules[1].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both"))
        #expect(problems.contains("listeners[1].port: port 80 on 127.0.0.1 is already bound by listeners[0]"))
        #expect(problems.contains { $0.hasPrefix("\(route).rules[0].matches[1].path.value: invalid regular expression \"(unclosed\"") })
    }

    @Test func compileThrowsTheSameProblems() {
        let config = Self.broken
        #expect(throws: InvalidConfigError(version: "", problems: config.validate())) { try config.compile() }
    }

    @Test func aValidSnapshotHasNoProblems() throws {
        let config = Fixtures.config(virtualHosts: [VirtualHost(name: "vh", hostname: "*.example.com", routes: [
            Fixtures.route("default/r", created: "2024-01-01T00:00:00Z", hostnames: ["a.example.com"], rules: [
                Fixtures.rule(HTTPRouteMatch(path: .prefix("/a"), headers: [HTTPHeaderMatch(name: "x", value: "1")]),
                              filters: [.urlRewrite(HTTPURLRewriteFilter(path: .replacePrefixMatch("/b")))]),
                HTTPRouteRule(matches: [HTTPRouteMatch(path: .regex("/r/[0-9]+"))], filters: [
                    .requestRedirect(HTTPRequestRedirectFilter(scheme: "https", statusCode: 308)),
                    .requestMirror(HTTPRequestMirrorFilter(backend: "mirror", fraction: Fraction(numerator: 1, denominator: 3))),
                ]),
            ]),
        ])])
        #expect(config.validate() == [])
        _ = try config.compile()
    }

    @Test(arguments: [
        (Listener(name: "a", address: "10.0.0.1", port: 80), Listener(name: "b", address: "10.0.0.2", port: 80), false),
        (Listener(name: "a", address: "10.0.0.1", port: 80), Listener(name: "b", address: "0.0.0.0", port: 80), true),
        (Listener(name: "a", address: "::", port: 80), Listener(name: "b", address: "10.0.0.1", port: 80), true),
        (Listener(name: "a", port: 80), Listener(name: "b", port: 81), false),
    ])
    func listenerBindsOverlap(a: Listener, b: Listener, collide: Bool) {
        let problems = ProxyConfig(version: "1", listeners: [a, b]).validate()
        #expect(problems.contains { $0.path == "listeners[1].port" && $0.reason == .duplicate } == collide)
    }

    @Test func tlsIsCheckedOnHTTPSListeners() {
        let listener = Listener(name: "tls", port: 443, protocol: .https, tls: TLSConfig(certificates: [
            TLSCertificate(hostnames: ["*.example.com"], certificateChain: .pem("not pem"), privateKey: .file("")),
        ]))
        let paths = ProxyConfig(version: "1", listeners: [listener]).validate().map(\.path)
        #expect(paths == ["listeners[0].tls.certificates[0].certificateChain.pem", "listeners[0].tls.certificates[0].privateKey.file"])
        let plain = Listener(name: "plain", port: 80, tls: TLSConfig(certificates: []))
        #expect(ProxyConfig(version: "1", listeners: [plain]).validate().map(\.path) == ["listeners[0].tls"])
    }

    @Test func durationsMustBeSpellableInGatewayAPIFormat() {
        let tooLong = GatewayDuration(milliseconds: 100_000 * 3_600_000)
        #expect(GatewayDuration(tooLong.description) == nil)
        let config = ProxyConfig(
            version: "1",
            listeners: [Listener(name: "l", port: 80, limits: ListenerLimits(headerReadTimeout: GatewayDuration(milliseconds: -1), idleTimeout: tooLong))],
            backends: [Backend(name: "b", idleTimeout: GatewayDuration("99999h"))])
        #expect(config.validate().map(\.path) == ["listeners[0].limits.headerReadTimeout", "listeners[0].limits.idleTimeout"])
    }

    @Test(arguments: [
        ("example.com", true), ("*.example.com", true), ("a-b.c", true), ("Example.com", false), ("-a.com", false),
        ("a..com", false), ("*", false), ("*.*.com", false), ("10.0.0.1", false), ("", false), ("a_b.com", false),
    ])
    func hostnameFormat(name: String, valid: Bool) {
        #expect((NameRules.hostnameProblem(name) == nil) == valid)
    }

    @Test(arguments: [
        ("/a", [String]()), ("/a/./b", ["must not contain '/./' when type one of ['Exact', 'PathPrefix']"]),
        ("/a/..", ["must not end with '/..' when type one of ['Exact', 'PathPrefix']"]),
        ("/a%2Fb", ["must not contain '%2F' when type one of ['Exact', 'PathPrefix']"]),
        ("/a%zz", ["must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']"]),
        ("/a%20b", []),
    ])
    func pathValueRules(value: String, problems: [String]) {
        #expect(NameRules.pathProblems(value) == problems)
    }
}

@Suite struct RFC3339TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0), Int32(0)), ("1970-01-02T00:00:00Z", 86_400, 0),
        ("2024-02-29T12:00:00Z", 1_709_208_000, 0), ("2024-02-29T14:00:00+02:00", 1_709_208_000, 0),
        ("2024-02-29T12:00:00.5Z", 1_709_208_000, 500_000_000), ("1969-12-31T23:59:59Z", -1, 0),
    ])
    func parses(text: String, seconds: Int64, nanos: Int32) {
        let t = RFC3339Timestamp(text)
        #expect(t?.secondsSinceEpoch == seconds && t?.nanoseconds == nanos)
    }

    @Test(arguments: ["", "yesterday", "2024-02-29", "2024-13-01T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z",
                      "2024-01-01T00:00:00Zjunk"])
    func rejects(text: String) {
        #expect(RFC3339Timestamp(text) == nil)
    }
}

@Suite struct HeaderValueValidationTests {
    /// A configured header value is written as is by the proxy: a CR or LF in it would end the
    /// field line and let the config smuggle other fields (or a whole response) in.
    @Test(arguments: ["a\r\nx-injected: 1", "a\nb", "nul\u{0}", "del\u{7F}"])
    func controlCharactersInHeaderValuesAreRefused(_ value: String) {
        let filter = HTTPHeaderFilter(set: [HTTPHeader(name: "x-set", value: value)], add: [HTTPHeader(name: "x-add", value: "ok\tvalue")])
        let config = Fixtures.config(virtualHosts: [VirtualHost(name: "vh", routes: [
            Fixtures.route("default/r", rules: [
                HTTPRouteRule(filters: [.responseHeaderModifier(filter)], backendRefs: [HTTPBackendRef(backend: "b")]),
            ]),
        ])])
        let problems = config.validate()
        #expect(problems.map(\.path) == ["listeners[0].virtualHosts[0].routes[0].rules[0].filters[0].responseHeaderModifier.set[0].value"])
        #expect(problems.first?.reason == .invalid)
    }
}
