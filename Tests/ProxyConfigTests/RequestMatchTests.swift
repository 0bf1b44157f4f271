import Testing
@testable import ProxyConfig

private typealias F = Fixtures

@Suite struct RequestMatchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let match: HTTPRouteMatch
        let method: String
        let target: String
        let headers: [(String, String)]
        let expected: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "header name is case-insensitive", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "X-Env", value: "prod")]),
             method: "GET", target: "/", headers: [("x-env", "prod")], expected: true),
        Case(name: "header value is case-sensitive", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "X-Env", value: "prod")]),
             method: "GET", target: "/", headers: [("x-env", "Prod")], expected: false),
        Case(name: "missing header", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "X-Env", value: "prod")]),
             method: "GET", target: "/", headers: [("x-other", "prod")], expected: false),
        Case(name: "repeated header values joined with commas", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "x-env", value: "a,b")]),
             method: "GET", target: "/", headers: [("X-Env", "a"), ("x-env", "b")], expected: true),
        Case(name: "repeated header: one value alone does not match", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "x-env", value: "a")]),
             method: "GET", target: "/", headers: [("X-Env", "a"), ("x-env", "b")], expected: false),
        Case(name: "header regex whole value", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(type: .regularExpression, name: "v", value: "v[0-9]+")]),
             method: "GET", target: "/", headers: [("v", "v12")], expected: true),
        Case(name: "header regex not partial", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(type: .regularExpression, name: "v", value: "v[0-9]+")]),
             method: "GET", target: "/", headers: [("v", "xv12")], expected: false),
        Case(name: "all headers must match", match: HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "a", value: "1"), HTTPHeaderMatch(name: "b", value: "2")]),
             method: "GET", target: "/", headers: [("a", "1"), ("b", "3")], expected: false),
        Case(name: "query exact", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "animal", value: "whale")]),
             method: "GET", target: "/?animal=whale&x=1", headers: [], expected: true),
        Case(name: "query later position", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "animal", value: "whale")]),
             method: "GET", target: "/?x=1&animal=whale", headers: [], expected: true),
        Case(name: "query other value", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "animal", value: "whale")]),
             method: "GET", target: "/?animal=dolphin", headers: [], expected: false),
        Case(name: "query name is exact (prefix)", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "animal", value: "whale")]),
             method: "GET", target: "/?animals=whale", headers: [], expected: false),
        Case(name: "query name is case-sensitive", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "animal", value: "whale")]),
             method: "GET", target: "/?Animal=whale", headers: [], expected: false),
        Case(name: "query first occurrence counts", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "a", value: "2")]),
             method: "GET", target: "/?a=1&a=2", headers: [], expected: false),
        Case(name: "query value compared undecoded", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "q", value: "a%20b")]),
             method: "GET", target: "/?q=a%20b", headers: [], expected: true),
        Case(name: "bare query parameter has empty value", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "flag", value: "")]),
             method: "GET", target: "/?x=1&flag", headers: [], expected: true),
        Case(name: "no query string", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(name: "q", value: "1")]),
             method: "GET", target: "/", headers: [], expected: false),
        Case(name: "query regex", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(type: .regularExpression, name: "id", value: "[0-9]{3}")]),
             method: "GET", target: "/?id=123", headers: [], expected: true),
        Case(name: "query regex not partial", match: HTTPRouteMatch(queryParams: [HTTPQueryParamMatch(type: .regularExpression, name: "id", value: "[0-9]{3}")]),
             method: "GET", target: "/?id=1234", headers: [], expected: false),
        Case(name: "method matches", match: HTTPRouteMatch(method: .post), method: "POST", target: "/", headers: [], expected: true),
        Case(name: "method differs", match: HTTPRouteMatch(method: .post), method: "GET", target: "/", headers: [], expected: false),
        Case(name: "everything together", match: HTTPRouteMatch(
            path: .prefix("/api"), headers: [HTTPHeaderMatch(name: "x-v", value: "2")],
            queryParams: [HTTPQueryParamMatch(name: "debug", value: "1")], method: .put),
             method: "PUT", target: "/api/items?debug=1", headers: [("X-V", "2")], expected: true),
    ]

    @Test(arguments: cases)
    func matching(_ c: Case) throws {
        let table = try F.table([F.route("default/r", rules: [F.rule(c.match)])])
        #expect((table.winner(c.method, c.target, headers: HeaderList(c.headers)) != nil) == c.expected)
    }

    @Test func anyOfARulesMatchesSuffices() throws {
        let table = try F.table([F.route("default/r", rules: [
            F.rule(HTTPRouteMatch(path: .exact("/a")), HTTPRouteMatch(path: .exact("/b"))),
        ])])
        #expect(table.winner("/a") == "default/r#0")
        #expect(table.winner("/b") == "default/r#0")
        #expect(table.winner("/c") == nil)
        #expect(table.match(host: "h", method: "GET", target: "/b", headers: HeaderList())?.matchIndex == 1)
    }

    /// Validation rejects repeated names, but compiled matches still follow the spec's rule.
    @Test func ofEquivalentNamesOnlyTheFirstCounts() throws {
        let rule = CompiledRule(
            route: RouteIdentity(HTTPRoute(namespace: "n", name: "r")), ruleIndex: 0, rule: HTTPRouteRule(), backendIndex: [:])
        let match = try CompiledMatch(rule: rule, matchIndex: 0, match: HTTPRouteMatch(
            headers: [HTTPHeaderMatch(name: "X", value: "a"), HTTPHeaderMatch(name: "x", value: "b")],
            queryParams: [HTTPQueryParamMatch(name: "q", value: "1"), HTTPQueryParamMatch(name: "q", value: "2")]))
        func accepts(_ query: String, _ headers: HeaderList) -> Bool {
            match.matches(method: "GET", path: "/", query: query[...]) { name, visit in
                for header in headers where HeaderName.equals(header.name, lowercased: name) { visit(header.value) }
            }
        }
        #expect(accepts("q=1", [("x", "a")]))
        #expect(!accepts("q=2", [("x", "a")]))
        #expect(!accepts("q=1", [("x", "b")]))
        #expect(match.precedence.headerCount == 1 && match.precedence.queryParamCount == 1)
    }

    @Test(arguments: [("animal=whale&x=1", "x", "1"), ("a=&b=2", "a", ""), ("a", "a", ""), ("a=1=2", "a", "1=2")])
    func queryScanning(query: String, name: String, value: String) {
        #expect(QueryString.firstValue(named: name, in: query[...]) == value[...])
    }

    @Test func headerValueVisitorEntryPoint() throws {
        let table = try F.table([F.route("default/r", rules: [F.rule(HTTPRouteMatch(headers: [HTTPHeaderMatch(name: "X-Env", value: "a,b")]))])])
        let stored = [("x-env", "a"), ("other", "z"), ("X-ENV", "b")]
        let matched = table.match(host: "h", method: "GET", path: "/", query: "") { name, visit in
            for (n, v) in stored where HeaderName.equals(n, lowercased: name) { visit(v) }
        }
        #expect(matched?.route.qualifiedName == "default/r")
    }

    @Test(arguments: [("Content-Type", "content-type", true), ("content-type", "content-type", true), ("Content-Typ", "content-type", false),
                      ("Content-Type", "Content-Type", false), ("X", "y", false)])
    func headerNameEquality(name: String, lowercased: String, expected: Bool) {
        #expect(HeaderName.equals(name, lowercased: lowercased) == expected)
    }
}
