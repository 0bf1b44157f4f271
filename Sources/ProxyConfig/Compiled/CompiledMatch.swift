/// One `HTTPRouteMatch` of one rule, compiled, with its place in the Gateway API precedence order.
/// A class so that walking candidate lists retains one reference, not every field.
final class CompiledMatch: Sendable {
    let rule: CompiledRule
    let matchIndex: Int
    let path: PathMatcher
    /// Upper-case method name, compared to the request's method as sent.
    let method: String?
    let headers: [HeaderMatcher]
    let queryParams: [QueryParamMatcher]
    let precedence: MatchPrecedence
    /// The normalized `PathPrefix` this match matched on, for `ReplacePrefixMatch`.
    let matchedPrefix: String?

    init(rule: CompiledRule, matchIndex: Int, match: HTTPRouteMatch) throws {
        self.rule = rule
        self.matchIndex = matchIndex
        path = try PathMatcher(match.path)
        method = match.method?.rawValue
        // Gateway API: among entries with equivalent names only the first counts.
        var seenHeaders = Set<String>()
        headers = try match.headers.filter { seenHeaders.insert($0.name.lowercased()).inserted }.map(HeaderMatcher.init)
        var seenQuery = Set<String>()
        queryParams = try match.queryParams.filter { seenQuery.insert($0.name).inserted }.map(QueryParamMatcher.init)
        precedence = MatchPrecedence(match: match, route: rule.route, ruleIndex: rule.ruleIndex, matchIndex: matchIndex)
        if case .prefix(let prefix) = path { matchedPrefix = prefix } else { matchedPrefix = nil }
    }

    @inline(__always)
    func matches(method requestMethod: String, path requestPath: Substring, query: Substring,
                 headerValues: HeaderValueVisitor) -> Bool {
        if let method, method != requestMethod { return false }
        guard path.matches(requestPath) else { return false }
        for header in headers where !header.matches(headerValues) { return false }
        for param in queryParams where !param.matches(query) { return false }
        return true
    }
}
