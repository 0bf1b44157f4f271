import Testing
@testable import ProxyConfig

@Suite struct HeaderModifierTests {
    private func applied(_ filter: HTTPHeaderFilter, to headers: [(String, String)]) -> [String] {
        var list = HeaderList(headers)
        filter.apply(to: &list)
        return list.map { "\($0.name): \($0.value)" }
    }

    @Test func setReplacesEveryValueCaseInsensitively() {
        let filter = HTTPHeaderFilter(set: [HTTPHeader(name: "My-Header", value: "bar")])
        #expect(applied(filter, to: [("my-header", "foo"), ("other", "x"), ("MY-HEADER", "baz")]) == ["other: x", "My-Header: bar"])
        #expect(applied(filter, to: []) == ["My-Header: bar"])
    }

    @Test func addAppendsToExistingValues() {
        let filter = HTTPHeaderFilter(add: [HTTPHeader(name: "my-header", value: "bar,baz")])
        #expect(applied(filter, to: [("My-Header", "foo")]) == ["My-Header: foo", "my-header: bar,baz"])
        var list = HeaderList([("My-Header", "foo")])
        filter.apply(to: &list)
        #expect(list.values(named: "MY-header") == ["foo", "bar,baz"])
    }

    @Test func removeDeletesEveryFieldOfTheName() {
        let filter = HTTPHeaderFilter(remove: ["my-header1", "MY-HEADER3"])
        #expect(applied(filter, to: [("my-header1", "foo"), ("my-header2", "bar"), ("My-Header3", "baz"), ("my-header1", "x")])
            == ["my-header2: bar"])
    }

    @Test func removeThenSetThenAdd() {
        let filter = HTTPHeaderFilter(
            set: [HTTPHeader(name: "s", value: "set")], add: [HTTPHeader(name: "s", value: "added"), HTTPHeader(name: "r", value: "new")],
            remove: ["r"])
        #expect(applied(filter, to: [("s", "old"), ("r", "old")]) == ["s: set", "s: added", "r: new"])
        #expect(!filter.isEmpty)
        #expect(HTTPHeaderFilter().isEmpty)
    }
}

@Suite struct PathModifierTests {
    /// The ReplacePrefixMatch table of the Gateway API spec, plus the `/` prefix.
    @Test(arguments: [
        ("/foo/bar", "/foo", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo", "/xyz/", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz/", "/xyz/bar"),
        ("/foo", "/foo", "/xyz", "/xyz"),
        ("/foo/", "/foo", "/xyz", "/xyz/"),
        ("/foo/bar", "/foo", "", "/bar"),
        ("/foo/", "/foo", "", "/"),
        ("/foo", "/foo", "", "/"),
        ("/foo/", "/foo", "/", "/"),
        ("/foo", "/foo", "/", "/"),
        ("/foo/x", "/foo", "/bar", "/bar/x"),
        ("/foo/bar", "/", "/xyz", "/xyz/foo/bar"),
        ("/foo/bar", "/", "/", "/foo/bar"),
        ("/prefix/one/two", "/prefix/one", "/one", "/one/two"),
        ("/a%20b/c", "/a%20b", "/d", "/d/c"),
    ])
    func replacePrefixMatch(path: String, prefix: String, replacement: String, expected: String) {
        let modifier = HTTPPathModifier.replacePrefixMatch(replacement)
        #expect(modifier.apply(to: path[...], matchedPrefix: PathPrefix.normalized(prefix)) == expected)
    }

    @Test func replaceFullPathIgnoresThePrefix() {
        #expect(HTTPPathModifier.replaceFullPath("/new").apply(to: "/old/deep", matchedPrefix: "/old") == "/new")
        #expect(HTTPPathModifier.replaceFullPath("/new").apply(to: "/old/deep", matchedPrefix: nil) == "/new")
    }

    @Test func replacePrefixWithoutAMatchingPrefixLeavesThePath() {
        #expect(HTTPPathModifier.replacePrefixMatch("/x").apply(to: "/a/b", matchedPrefix: nil) == "/a/b")
        #expect(HTTPPathModifier.replacePrefixMatch("/x").apply(to: "/ab", matchedPrefix: "/a") == "/ab")
    }

    @Test func urlRewriteSetsHostAndPath() {
        let rewrite = HTTPURLRewriteFilter(hostname: "internal.svc", path: .replacePrefixMatch("/v2"))
        #expect(rewrite.rewrite(host: "api.example.com", path: "/v1/users", matchedPrefix: "/v1")
            == RewrittenURL(host: "internal.svc", path: "/v2/users"))
        #expect(HTTPURLRewriteFilter().rewrite(host: "a.com:8080", path: "/p", matchedPrefix: nil)
            == RewrittenURL(host: "a.com:8080", path: "/p"))
        #expect(HTTPURLRewriteFilter(path: .replaceFullPath("/only")).rewrite(host: "a", path: "/p/q", matchedPrefix: "/p")
            == RewrittenURL(host: "a", path: "/only"))
    }

    @Test func rewriteUsesThePrefixTheRequestMatched() throws {
        let rewrite = HTTPURLRewriteFilter(path: .replacePrefixMatch("/new"))
        let table = try Fixtures.table([Fixtures.route("default/r", rules: [
            Fixtures.rule(HTTPRouteMatch(path: .prefix("/old/")), filters: [.urlRewrite(rewrite)]),
        ])])
        let matched = try #require(table.match(host: "h", method: "GET", target: "/old/x?y=1", headers: HeaderList()))
        let result = try #require(matched.rule.urlRewrite).rewrite(host: "h", path: "/old/x", matchedPrefix: matched.matchedPrefix)
        #expect(result.path == "/new/x")
    }
}

@Suite struct BackendAndMirrorTests {
    private func compiledRule(_ rule: HTTPRouteRule) throws -> CompiledRule {
        let table = try Fixtures.table([Fixtures.route("default/r", rules: [rule])])
        return try #require(table.match(host: "h", method: "GET", target: "/", headers: HeaderList())).rule
    }

    @Test func weightedPickFollowsCumulativeWeights() throws {
        let rule = try compiledRule(HTTPRouteRule(backendRefs: [
            HTTPBackendRef(backend: "b", weight: 1), HTTPBackendRef(backend: "c", weight: 0), HTTPBackendRef(backend: "mirror", weight: 3),
        ]))
        #expect(rule.totalWeight == 4)
        let picks = (0..<8).map { rule.pickBackend(random: UInt64($0))?.backendName }
        #expect(picks == ["b", "mirror", "mirror", "mirror", "b", "mirror", "mirror", "mirror"])
        #expect(rule.pickBackend(random: UInt64.max)?.backendName == "mirror")  // max % 4 == 3
    }

    @Test func invalidReferenceGets500ForItsShare() throws {
        let rule = try compiledRule(HTTPRouteRule(backendRefs: [
            HTTPBackendRef(backend: nil, weight: 1), HTTPBackendRef(backend: "b", weight: 1),
        ]))
        guard case .respond(let status) = rule.action(random: 0) else { Issue.record("expected 500"); return }
        #expect(status == .invalidBackend && status.code == 500)
        guard case .forward(let ref) = rule.action(random: 1) else { Issue.record("expected forward"); return }
        #expect(ref.backendName == "b" && ref.backendIndex == 0)
    }

    @Test(arguments: [
        [HTTPBackendRef](),
        [HTTPBackendRef(backend: "b", weight: 0), HTTPBackendRef(backend: "c", weight: 0)],
        [HTTPBackendRef(backend: nil)],
    ])
    func ruleWithoutUsableBackendAnswers500(refs: [HTTPBackendRef]) throws {
        let rule = try compiledRule(HTTPRouteRule(backendRefs: refs))
        for random in [UInt64(0), 1, 12345] {
            guard case .respond(let status) = rule.action(random: random) else { Issue.record("expected 500"); return }
            #expect(status.code == 500)
        }
    }

    @Test func redirectWinsOverBackends() throws {
        let redirect = HTTPRequestRedirectFilter(scheme: "https", statusCode: 301)
        let rule = try compiledRule(HTTPRouteRule(filters: [.requestRedirect(redirect)], backendRefs: []))
        guard case .redirect(let filter) = rule.action(random: 0) else { Issue.record("expected redirect"); return }
        #expect(filter.statusCode == 301)
    }

    @Test func backendRefFiltersAreKeptPerReference() throws {
        let modifier = HTTPHeaderFilter(set: [HTTPHeader(name: "x-canary", value: "1")])
        let rule = try compiledRule(HTTPRouteRule(backendRefs: [
            HTTPBackendRef(backend: "b", weight: 1), HTTPBackendRef(backend: "c", weight: 1, filters: [.requestHeaderModifier(modifier)]),
        ]))
        #expect(rule.pickBackend(random: 0)?.requestHeaderModifier == nil)
        #expect(rule.pickBackend(random: 1)?.requestHeaderModifier == modifier)
    }

    @Test(arguments: [
        (HTTPRequestMirrorFilter(backend: "mirror"), [true, true, true, true]),
        (HTTPRequestMirrorFilter(backend: "mirror", percent: 0), [false, false, false, false]),
        (HTTPRequestMirrorFilter(backend: "mirror", percent: 100), [true, true, true, true]),
        (HTTPRequestMirrorFilter(backend: "mirror", percent: 50), [true, true, false, false]),
        (HTTPRequestMirrorFilter(backend: "mirror", fraction: Fraction(numerator: 1, denominator: 4)), [true, false, false, false]),
        (HTTPRequestMirrorFilter(backend: "mirror", fraction: Fraction(numerator: 3, denominator: 4)), [true, true, true, false]),
    ])
    func mirrorDecision(filter: HTTPRequestMirrorFilter, expected: [Bool]) throws {
        let rule = try compiledRule(HTTPRouteRule(filters: [.requestMirror(filter)], backendRefs: [HTTPBackendRef(backend: "b")]))
        let mirror = try #require(rule.mirrors.first)
        #expect(mirror.backendIndex == 2)
        // Randoms 0, 1 and 50, 99 for percentages; 0...3 for quarters.
        let randoms: [UInt64] = mirror.denominator == 4 ? [0, 1, 2, 3] : [0, 49, 50, 99]
        #expect(randoms.map { mirror.shouldMirror(random: $0) } == expected)
    }
}
