import Testing
@testable import ProxyConfig

/// Each case has two routes that both match the request; `winner` must win whatever their order.
struct PrecedenceCase: Sendable, CustomTestStringConvertible {
    let level: String
    let routes: [HTTPRoute]
    let method: String
    let target: String
    let headers: [(String, String)]
    let winner: String

    var testDescription: String { level }
}

private typealias F = Fixtures

private let header1 = HTTPHeaderMatch(name: "x-a", value: "1")
private let header2 = HTTPHeaderMatch(name: "x-b", value: "2")
private let query1 = HTTPQueryParamMatch(name: "q", value: "1")
private let query2 = HTTPQueryParamMatch(name: "r", value: "2")
private let allHeaders = [("x-a", "1"), ("x-b", "2")]

private let precedenceCases: [PrecedenceCase] = [
    PrecedenceCase(
        level: "Exact path beats a PathPrefix of the same length with more conditions",
        routes: [
            F.route("default/prefix", rules: [F.rule(HTTPRouteMatch(path: .prefix("/foo/bar"), headers: [header1, header2], method: .get))]),
            F.route("default/exact", rules: [F.rule(HTTPRouteMatch(path: .exact("/foo/bar")))]),
        ],
        method: "GET", target: "/foo/bar", headers: allHeaders, winner: "default/exact#0"),
    PrecedenceCase(
        level: "Longest PathPrefix (characters) beats method and header matches",
        routes: [
            F.route("default/short", rules: [F.rule(HTTPRouteMatch(path: .prefix("/foo"), headers: [header1, header2], method: .get))]),
            F.route("default/long", rules: [F.rule(HTTPRouteMatch(path: .prefix("/foo/bar")))]),
        ],
        method: "GET", target: "/foo/bar/baz", headers: allHeaders, winner: "default/long#0"),
    PrecedenceCase(
        level: "Method match beats more header matches",
        routes: [
            F.route("default/headers", rules: [F.rule(HTTPRouteMatch(path: .prefix("/foo"), headers: [header1, header2]))]),
            F.route("default/method", rules: [F.rule(HTTPRouteMatch(path: .prefix("/foo"), method: .post))]),
        ],
        method: "POST", target: "/foo", headers: allHeaders, winner: "default/method#0"),
    PrecedenceCase(
        level: "More header matches beat more query param matches",
        routes: [
            F.route("default/query", rules: [F.rule(HTTPRouteMatch(headers: [header1], queryParams: [query1, query2]))]),
            F.route("default/headers", rules: [F.rule(HTTPRouteMatch(headers: [header1, header2]))]),
        ],
        method: "GET", target: "/?q=1&r=2", headers: allHeaders, winner: "default/headers#0"),
    PrecedenceCase(
        level: "More query param matches win",
        routes: [
            F.route("default/one", rules: [F.rule(HTTPRouteMatch(queryParams: [query1]))]),
            F.route("default/two", rules: [F.rule(HTTPRouteMatch(queryParams: [query1, query2]))]),
        ],
        method: "GET", target: "/x?q=1&r=2", headers: [], winner: "default/two#0"),
    PrecedenceCase(
        level: "Oldest creation timestamp wins over alphabetical order",
        routes: [
            F.route("a/a", created: "2024-01-02T00:00:00Z", rules: [F.rule()]),
            F.route("z/z", created: "2024-01-01T23:00:00-02:00", rules: [F.rule()]),
        ],
        method: "GET", target: "/", headers: [], winner: "a/a#0"),
    PrecedenceCase(
        level: "Creation timestamp compares instants, not text",
        routes: [
            F.route("a/a", created: "2024-01-01T10:00:00Z", rules: [F.rule()]),
            F.route("z/z", created: "2024-01-01T11:00:00+02:00", rules: [F.rule()]),
        ],
        method: "GET", target: "/", headers: [], winner: "z/z#0"),
    PrecedenceCase(
        level: "A route with a timestamp beats one without",
        routes: [
            F.route("a/untimed", rules: [F.rule()]),
            F.route("z/timed", created: "2030-01-01T00:00:00Z", rules: [F.rule()]),
        ],
        method: "GET", target: "/", headers: [], winner: "z/timed#0"),
    PrecedenceCase(
        level: "Same timestamp: alphabetical namespace/name",
        routes: [
            F.route("ns-b/a", created: "2024-01-01T00:00:00Z", rules: [F.rule()]),
            F.route("ns-a/z", created: "2024-01-01T00:00:00Z", rules: [F.rule()]),
        ],
        method: "GET", target: "/", headers: [], winner: "ns-a/z#0"),
    PrecedenceCase(
        level: "Within a route: the first rule",
        routes: [
            F.route("default/r", rules: [F.rule(HTTPRouteMatch(path: .prefix("/a"))), F.rule(HTTPRouteMatch(path: .prefix("/a")))]),
        ],
        method: "GET", target: "/a", headers: [], winner: "default/r#0"),
    PrecedenceCase(
        level: "Precedence across rules of one route beats rule order",
        routes: [
            F.route("default/r", rules: [F.rule(HTTPRouteMatch(path: .prefix("/a"))), F.rule(HTTPRouteMatch(path: .exact("/a/b")))]),
        ],
        method: "GET", target: "/a/b", headers: [], winner: "default/r#1"),
    PrecedenceCase(
        level: "RegularExpression ranks after Exact",
        routes: [
            F.route("default/regex", rules: [F.rule(HTTPRouteMatch(path: .regex("/a/.*")))]),
            F.route("default/exact", rules: [F.rule(HTTPRouteMatch(path: .exact("/a/b")))]),
        ],
        method: "GET", target: "/a/b", headers: [], winner: "default/exact#0"),
    PrecedenceCase(
        level: "RegularExpression ranks before PathPrefix",
        routes: [
            F.route("default/prefix", rules: [F.rule(HTTPRouteMatch(path: .prefix("/a/b")))]),
            F.route("default/regex", rules: [F.rule(HTTPRouteMatch(path: .regex("/a/[a-z]")))]),
        ],
        method: "GET", target: "/a/b", headers: [], winner: "default/regex#0"),
]

@Suite struct PrecedenceTests {
    @Test(arguments: precedenceCases)
    func winnerIsIndependentOfInputOrder(_ c: PrecedenceCase) throws {
        let headers = HeaderList(c.headers)
        for routes in [c.routes, c.routes.reversed()] {
            let table = try Fixtures.table(routes)
            #expect(table.winner(c.method, c.target, headers: headers) == c.winner)
        }
    }

    @Test func theLoserStillServesWhatOnlyItMatches() throws {
        let table = try Fixtures.table([
            Fixtures.route("default/method", rules: [Fixtures.rule(HTTPRouteMatch(path: .prefix("/foo"), method: .post))]),
            Fixtures.route("default/any", rules: [Fixtures.rule(HTTPRouteMatch(path: .prefix("/foo")))]),
        ])
        #expect(table.winner("POST", "/foo") == "default/method#0")
        #expect(table.winner("GET", "/foo") == "default/any#0")
        #expect(table.winner("GET", "/bar") == nil)
    }

    @Test func precedenceKeyOrdersLevelsInSpecOrder() {
        let route = RouteIdentity(HTTPRoute(namespace: "n", name: "r"))
        func key(_ match: HTTPRouteMatch) -> MatchPrecedence {
            MatchPrecedence(match: match, route: route, ruleIndex: 0, matchIndex: 0)
        }
        let ordered = [
            key(HTTPRouteMatch(path: .exact("/a"))),
            key(HTTPRouteMatch(path: .regex("/a.*"))),
            key(HTTPRouteMatch(path: .prefix("/abc"))),
            key(HTTPRouteMatch(path: .prefix("/a"), method: .get)),
            key(HTTPRouteMatch(path: .prefix("/a"), headers: [header1, header2])),
            key(HTTPRouteMatch(path: .prefix("/a"), headers: [header1], queryParams: [query1, query2])),
            key(HTTPRouteMatch(path: .prefix("/a"), headers: [header1], queryParams: [query1])),
            key(HTTPRouteMatch(path: .prefix("/a"))),
        ]
        #expect(ordered.shuffled().sorted() == ordered)
    }
}
