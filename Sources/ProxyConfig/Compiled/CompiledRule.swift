/// Which route a rule belongs to, for logs, metrics and precedence.
public struct RouteIdentity: Hashable, Sendable {
    public let namespace: String
    public let name: String
    /// `namespace/name`.
    public let qualifiedName: String
    public let creationTimestamp: RFC3339Timestamp?

    init(_ route: HTTPRoute) {
        namespace = route.namespace
        name = route.name
        qualifiedName = route.qualifiedName
        creationTimestamp = route.creationTimestamp.flatMap(RFC3339Timestamp.init)
    }
}

/// One HTTPRoute rule, compiled: its filters split by kind and its backends resolved to indexes
/// of `CompiledConfig.backends`. Shared by reference between the matches that lead to it.
public final class CompiledRule: Sendable {
    /// Position in `CompiledConfig.rules`: the data plane keeps what it derives from a rule in
    /// arrays by this number.
    public let id: Int
    public let route: RouteIdentity
    public let ruleIndex: Int
    /// The rule as configured.
    public let rule: HTTPRouteRule
    public let requestHeaderModifier: HTTPHeaderFilter?
    public let responseHeaderModifier: HTTPHeaderFilter?
    public let requestRedirect: HTTPRequestRedirectFilter?
    public let urlRewrite: HTTPURLRewriteFilter?
    public let mirrors: [CompiledMirror]
    public let backendRefs: [CompiledBackendRef]
    /// Sum of the backend weights; 0 means no request can be forwarded (500).
    public let totalWeight: UInt64
    public let timeouts: HTTPRouteTimeouts?
    public let maxRequestBodyBytes: Int?
    public let retry: HTTPRouteRetry?

    init(id: Int = 0, route: RouteIdentity, ruleIndex: Int, rule: HTTPRouteRule, backendIndex: [String: Int]) {
        self.id = id
        self.route = route
        self.ruleIndex = ruleIndex
        self.rule = rule
        let filters = CompiledFilters(rule.filters, backendIndex: backendIndex)
        requestHeaderModifier = filters.requestHeaderModifier
        responseHeaderModifier = filters.responseHeaderModifier
        requestRedirect = filters.requestRedirect
        urlRewrite = filters.urlRewrite
        mirrors = filters.mirrors
        backendRefs = rule.backendRefs.enumerated().map { CompiledBackendRef($1, position: $0, backendIndex: backendIndex) }
        totalWeight = backendRefs.reduce(0) { $0 + $1.weight }
        timeouts = rule.timeouts
        maxRequestBodyBytes = rule.maxRequestBodyBytes
        retry = rule.retry
    }

    /// `namespace/name/rule-index` (or the rule's name), for metrics and logs.
    public var label: String { "\(route.qualifiedName)/\(rule.name ?? String(ruleIndex))" }
}

/// The filters of a rule or backend reference, split by kind (each kind appears at most once,
/// except `RequestMirror`; validation enforces it).
struct CompiledFilters {
    var requestHeaderModifier: HTTPHeaderFilter?
    var responseHeaderModifier: HTTPHeaderFilter?
    var requestRedirect: HTTPRequestRedirectFilter?
    var urlRewrite: HTTPURLRewriteFilter?
    var mirrors: [CompiledMirror] = []

    init(_ filters: [HTTPRouteFilter], backendIndex: [String: Int]) {
        for filter in filters {
            switch filter {
            case .requestHeaderModifier(let f): requestHeaderModifier = f
            case .responseHeaderModifier(let f): responseHeaderModifier = f
            case .requestRedirect(let f): requestRedirect = f
            case .urlRewrite(let f): urlRewrite = f
            case .requestMirror(let f): mirrors.append(CompiledMirror(f, backendIndex: backendIndex))
            }
        }
    }
}

/// A weighted backend reference of a rule, with its own filters.
public struct CompiledBackendRef: Sendable {
    /// Position in the rule's `backendRefs`.
    public let position: Int
    /// The backend's name, `nil` for a reference the translator could not resolve.
    public let backendName: String?
    /// Index into `CompiledConfig.backends`; `nil` when the reference is invalid (answer 500).
    public let backendIndex: Int?
    public let weight: UInt64
    public let requestHeaderModifier: HTTPHeaderFilter?
    public let responseHeaderModifier: HTTPHeaderFilter?
    public let urlRewrite: HTTPURLRewriteFilter?
    public let mirrors: [CompiledMirror]

    init(_ ref: HTTPBackendRef, position: Int, backendIndex: [String: Int]) {
        self.position = position
        backendName = ref.backend
        self.backendIndex = ref.backend.flatMap { backendIndex[$0] }
        weight = UInt64(max(ref.weight, 0))
        let filters = CompiledFilters(ref.filters, backendIndex: backendIndex)
        requestHeaderModifier = filters.requestHeaderModifier
        responseHeaderModifier = filters.responseHeaderModifier
        urlRewrite = filters.urlRewrite
        mirrors = filters.mirrors
    }
}
