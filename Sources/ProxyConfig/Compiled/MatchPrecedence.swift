/// Where a match stands in the HTTPRoute precedence order; smaller sorts first and wins.
///
/// The Gateway API orders, across all routes of a listener: an `Exact` path, then the `PathPrefix`
/// with the most characters, then a method match, then the most header matches, then the most
/// query-parameter matches; remaining ties go to the oldest route, then to `namespace/name` in
/// alphabetical order, then to the first rule in the route. `RegularExpression` paths are ordered
/// by implementation choice: after `Exact`, before `PathPrefix` (longer patterns first), so a
/// regex route is not shadowed by the catch-all `PathPrefix "/"` every rule without matches gets.
public struct MatchPrecedence: Comparable, Hashable, Sendable {
    public enum PathKind: Int, Comparable, Sendable {
        case exact = 0, regularExpression = 1, pathPrefix = 2
        public static func < (lhs: PathKind, rhs: PathKind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var pathKind: PathKind
    /// Characters in the path value; more wins.
    public var pathLength: Int
    public var hasMethod: Bool
    public var headerCount: Int
    public var queryParamCount: Int
    /// `nil` (unknown) sorts after every timestamp.
    public var creationTimestamp: RFC3339Timestamp?
    public var qualifiedName: String
    public var ruleIndex: Int
    public var matchIndex: Int

    init(match: HTTPRouteMatch, route: RouteIdentity, ruleIndex: Int, matchIndex: Int) {
        switch match.path.type {
        case .exact: pathKind = .exact
        case .regularExpression: pathKind = .regularExpression
        case .pathPrefix: pathKind = .pathPrefix
        }
        pathLength = match.path.value.count
        hasMethod = match.method != nil
        headerCount = Set(match.headers.map { $0.name.lowercased() }).count
        queryParamCount = Set(match.queryParams.map(\.name)).count
        creationTimestamp = route.creationTimestamp
        qualifiedName = route.qualifiedName
        self.ruleIndex = ruleIndex
        self.matchIndex = matchIndex
    }

    public static func < (a: MatchPrecedence, b: MatchPrecedence) -> Bool {
        if a.pathKind != b.pathKind { return a.pathKind < b.pathKind }
        if a.pathLength != b.pathLength { return a.pathLength > b.pathLength }
        if a.hasMethod != b.hasMethod { return a.hasMethod }
        if a.headerCount != b.headerCount { return a.headerCount > b.headerCount }
        if a.queryParamCount != b.queryParamCount { return a.queryParamCount > b.queryParamCount }
        if a.creationTimestamp != b.creationTimestamp {
            guard let ta = a.creationTimestamp else { return false }
            guard let tb = b.creationTimestamp else { return true }
            return ta < tb
        }
        if a.qualifiedName != b.qualifiedName { return a.qualifiedName < b.qualifiedName }
        if a.ruleIndex != b.ruleIndex { return a.ruleIndex < b.ruleIndex }
        return a.matchIndex < b.matchIndex
    }
}
