import ProxyConfig
import Testing

/// ingress-nginx's `rewrite-target` semantics: the whole path becomes the target, with the
/// groups of a match anchored at the start of the path.
@Suite struct RegexPathSubstitutionTests {
    @Test func capturesReplaceDollarGroups() {
        let rewrite = RegexPathSubstitution(pattern: "(?i)/something(/|$)(.*)", substitution: "/$2")
        #expect(rewrite.apply(to: "/something/new") == "/new")
        #expect(rewrite.apply(to: "/something") == "/")
        #expect(rewrite.apply(to: "/SOMETHING/deep/er") == "/deep/er")
        #expect(rewrite.apply(to: "/other/something/x") == nil)
    }

    @Test func targetWithoutGroupsReplacesTheWholePath() {
        let rewrite = RegexPathSubstitution(pattern: "(?i)/api", substitution: "/")
        #expect(rewrite.apply(to: "/api/users") == "/")
        let literalDollar = RegexPathSubstitution(pattern: "/a(.*)", substitution: "/x$$1-$9")
        #expect(literalDollar.apply(to: "/abc") == "/x$bc-")
    }

    @Test func invalidPatternIsReportedByValidation() {
        var config = ProxyConfig(version: "1", listeners: [Listener(name: "l", port: 80, virtualHosts: [
            VirtualHost(name: "v", routes: [HTTPRoute(namespace: "n", name: "r", rules: [HTTPRouteRule(
                filters: [.urlRewrite(HTTPURLRewriteFilter(path: .regexSubstitution(RegexPathSubstitution(pattern: "/(unclosed", substitution: "/"))))])])]),
        ])])
        #expect(config.validate().contains { $0.path.hasSuffix("regexSubstitution.pattern") })
        config.listeners[0].virtualHosts[0].routes[0].rules[0].filters = [
            .urlRewrite(HTTPURLRewriteFilter(path: .regexSubstitution(RegexPathSubstitution(pattern: "/(ok)", substitution: "/$1")))),
        ]
        #expect(config.validate().isEmpty)
    }
}
