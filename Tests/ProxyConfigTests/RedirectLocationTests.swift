import Testing
@testable import ProxyConfig

@Suite struct RedirectLocationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let filter: HTTPRequestRedirectFilter
        var listener: ListenerProtocol = .http
        var listenerPort = 80
        var host = "example.com"
        var path = "/a"
        var query = ""
        var matchedPrefix: String? = nil
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "scheme https from port 80 drops the port", filter: .init(scheme: "https"), expected: "https://example.com/a"),
        Case(name: "no scheme, no port: listener port kept", filter: .init(), listenerPort: 8080, expected: "http://example.com:8080/a"),
        Case(name: "no scheme, listener on 80: port omitted", filter: .init(), expected: "http://example.com/a"),
        Case(name: "scheme set: well-known port, not the listener's", filter: .init(scheme: "https"), listenerPort: 8080,
             expected: "https://example.com/a"),
        Case(name: "scheme http from 8443 https listener", filter: .init(scheme: "http"), listener: .https, listenerPort: 8443,
             expected: "http://example.com/a"),
        Case(name: "explicit port kept", filter: .init(port: 8443), expected: "http://example.com:8443/a"),
        Case(name: "scheme and port", filter: .init(scheme: "https", port: 8443), expected: "https://example.com:8443/a"),
        Case(name: "https to http", filter: .init(scheme: "http"), listener: .https, listenerPort: 443, expected: "http://example.com/a"),
        Case(name: "https listener keeps scheme, 443 omitted", filter: .init(), listener: .https, listenerPort: 443,
             expected: "https://example.com/a"),
        Case(name: "explicit 443 on http is shown", filter: .init(port: 443), expected: "http://example.com:443/a"),
        Case(name: "explicit 443 with https omitted", filter: .init(scheme: "https", port: 443), expected: "https://example.com/a"),
        Case(name: "hostname replaces request host and its port", filter: .init(hostname: "other.example"), host: "example.com:80",
             expected: "http://other.example/a"),
        Case(name: "request Host port is dropped, listener port used", filter: .init(), host: "example.com:9999",
             expected: "http://example.com/a"),
        Case(name: "IPv6 host", filter: .init(), listenerPort: 8080, host: "[::1]:8080", expected: "http://[::1]:8080/a"),
        Case(name: "prefix /foo replaced by /bar", filter: .init(path: .replacePrefixMatch("/bar")), path: "/foo/x", matchedPrefix: "/foo",
             expected: "http://example.com/bar/x"),
        Case(name: "ReplacePrefixMatch with /", filter: .init(path: .replacePrefixMatch("/")), path: "/foo/x", matchedPrefix: "/foo",
             expected: "http://example.com/x"),
        Case(name: "ReplacePrefixMatch with / on the prefix itself", filter: .init(path: .replacePrefixMatch("/")), path: "/foo",
             matchedPrefix: "/foo", expected: "http://example.com/"),
        Case(name: "ReplaceFullPath keeps the query", filter: .init(path: .replaceFullPath("/new")), path: "/old/x", query: "a=1",
             expected: "http://example.com/new?a=1"),
        Case(name: "query kept as sent", filter: .init(scheme: "https"), query: "x=1&y=%20", expected: "https://example.com/a?x=1&y=%20"),
        Case(name: "everything", filter: .init(scheme: "https", hostname: "b.example", path: .replacePrefixMatch("/v2"), port: 8443,
             statusCode: 308), path: "/v1/items", query: "q=1", matchedPrefix: "/v1", expected: "https://b.example:8443/v2/items?q=1"),
    ]

    @Test(arguments: cases)
    func location(_ c: Case) {
        let location = c.filter.location(
            requestScheme: c.listener.scheme, requestHost: c.host, listenerPort: c.listenerPort, path: c.path[...],
            query: c.query[...], matchedPrefix: c.matchedPrefix)
        #expect(location == c.expected)
    }

    @Test func statusCodeDefaultsTo302() {
        #expect(HTTPRequestRedirectFilter().statusCode == 302)
    }

    @Test func routedRedirectUsesTheMatchedPrefix() throws {
        let redirect = HTTPRequestRedirectFilter(path: .replacePrefixMatch("/bar"), statusCode: 301)
        let table = try Fixtures.table([Fixtures.route("default/r", rules: [
            HTTPRouteRule(matches: [HTTPRouteMatch(path: .prefix("/foo"))], filters: [.requestRedirect(redirect)]),
        ])])
        let matched = try #require(table.match(host: "example.com", method: "GET", target: "/foo/x?k=v", headers: HeaderList()))
        guard case .redirect(let filter) = matched.rule.action(random: 0) else { Issue.record("expected redirect"); return }
        let (path, query) = RequestTarget.split("/foo/x?k=v")
        #expect(filter.location(requestScheme: "http", requestHost: "example.com", listenerPort: 80, path: path, query: query,
                                matchedPrefix: matched.matchedPrefix) == "http://example.com/bar/x?k=v")
    }
}
