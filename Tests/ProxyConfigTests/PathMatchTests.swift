import Testing
@testable import ProxyConfig

@Suite struct PathMatchTests {
    @Test(arguments: [
        // PathPrefix is element-wise, trailing "/" of the value ignored.
        (HTTPPathMatch.prefix("/foo"), "/foo", true),
        (.prefix("/foo"), "/foo/", true),
        (.prefix("/foo"), "/foo/bar", true),
        (.prefix("/foo"), "/foobar", false),
        (.prefix("/foo"), "/fo", false),
        (.prefix("/foo"), "/", false),
        (.prefix("/foo"), "//foo", false),
        (.prefix("/foo/"), "/foo", true),
        (.prefix("/foo/"), "/foo/bar", true),
        (.prefix("/foo/"), "/foobar", false),
        (.prefix("/"), "/", true),
        (.prefix("/"), "/anything/at/all", true),
        (.prefix("/"), "//", true),
        (.prefix("/foo"), "/FOO", false),
        (.prefix("/foo"), "/foo//bar", true),
        // Exact is the whole path, byte for byte.
        (.exact("/foo"), "/foo", true),
        (.exact("/foo"), "/foo/", false),
        (.exact("/foo"), "/FOO", false),
        (.exact("/foo/"), "/foo/", true),
        (.exact("/foo/"), "/foo", false),
        (.exact("/"), "//", false),
        // Percent-encoding is compared as sent, never decoded.
        (.exact("/a%20b"), "/a%20b", true),
        (.exact("/a%20b"), "/a b", false),
        (.prefix("/a%20b"), "/a%20b/c", true),
        (.prefix("/a%2520"), "/a%20", false),
        // RegularExpression must match the whole path.
        (.regex("/v[0-9]+/.*"), "/v1/x", true),
        (.regex("/v[0-9]+/.*"), "/v/x", false),
        (.regex("/v[0-9]+/.*"), "/x/v1/x", false),
        (.regex("/v[0-9]+"), "/v12/extra", false),
        (.regex("/api|/health"), "/health", true),
        (.regex("^/ab?c$"), "/ac", true),
    ])
    func pathMatching(match: HTTPPathMatch, path: String, expected: Bool) throws {
        let table = try Fixtures.table([Fixtures.route("default/r", rules: [Fixtures.rule(HTTPRouteMatch(path: match))])])
        #expect((table.winner(path) != nil) == expected)
    }

    @Test func theMatchedPrefixIsReportedNormalized() throws {
        let table = try Fixtures.table([
            Fixtures.route("default/r", rules: [
                Fixtures.rule(HTTPRouteMatch(path: .prefix("/foo/"))),
                Fixtures.rule(HTTPRouteMatch(path: .exact("/exact"))),
                Fixtures.rule(),
            ])
        ])
        func prefix(_ target: String) -> String?? {
            table.match(host: "h", method: "GET", target: target, headers: HeaderList()).map(\.matchedPrefix)
        }
        #expect(prefix("/foo/x") == .some("/foo"))
        #expect(prefix("/exact") == .some(nil))
        #expect(prefix("/other") == .some(""))
    }

    @Test(arguments: [
        ("/a/b?x=1", "/a/b", "x=1"), ("/a/b", "/a/b", ""), ("/a?", "/a", ""), ("/a?x=1#frag", "/a", "x=1"),
        ("/a#frag?x", "/a", ""), ("/a?b?c", "/a", "b?c"),
    ])
    func requestTargetSplitting(target: String, path: String, query: String) {
        let split = RequestTarget.split(target)
        #expect(split.path == path[...])
        #expect(split.query == query[...])
    }

    @Test(arguments: [
        ("^/api/v[0-9]", "/api/v"), ("/ab?c", "/a"), ("/api|/health", ""), ("/x*", "/"), ("(?i)/foo", ""),
        ("/a.b", "/a"), ("/x{2}", "/"), ("/y+", "/y"), ("[a-z]", ""), ("/café.*", "/caf"),
    ])
    func regexLiteralPrefixIsConservative(pattern: String, prefix: String) {
        #expect(CompiledRegex.literalPrefix(of: pattern) == prefix)
    }

    @Test func caseInsensitiveRegexStillMatches() throws {
        let regex = try CompiledRegex("(?i)/FOO/[0-9]+")
        #expect(regex.wholeMatch("/foo/12"))
        #expect(!regex.wholeMatch("/bar/12"))
    }

    @Test func pathKeysCompareBytesAcrossSlices() {
        let target = "/api/v1/items?x"
        let slice = target[target.startIndex..<target.index(target.startIndex, offsetBy: 7)]
        var table: [ByteKey: Int] = [ByteKey("/api/v1"): 1, ByteKey("/api"): 2]
        #expect(table[ByteKey(slice)] == 1)
        #expect(table[ByteKey(slice.dropLast(3))] == 2)
        #expect(table[ByteKey("/api/v2")] == nil)
        table[ByteKey("/caf\u{E9}")] = 3
        #expect(table[ByteKey("/cafe\u{301}")] == nil)  // bytes, not canonical equivalence
    }

    @Test func lengthSetIsExactBelow1024AndPermissiveAbove() {
        let set = LengthSet([0, 5, 63, 64, 1023, 5000])
        #expect([0, 5, 63, 64, 1023].allSatisfy(set.contains))
        #expect(![1, 6, 62, 65, 1022].contains(where: set.contains))
        #expect(set.contains(1024) && set.contains(100_000))
    }

    @Test func longPathsStillMatchPrefixes() throws {
        let long = "/" + String(repeating: "a", count: 1019)  // validation caps values at 1024
        let table = try Fixtures.table([
            Fixtures.route("default/long", rules: [Fixtures.rule(HTTPRouteMatch(path: .prefix(long)))]),
            Fixtures.route("default/root", rules: [Fixtures.rule()]),
        ])
        #expect(table.winner(long + "/" + String(repeating: "x", count: 600)) == "default/long#0")
        #expect(table.winner(long + "b") == "default/root#0")
    }
}
