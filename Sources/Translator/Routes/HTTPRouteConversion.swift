import KubeTypes
import ProxyConfig

extension Translation {
    /// Converts an HTTPRoute's rules to the data plane's form and resolves its backends.
    func convert(_ route: GatewayAPI.HTTPRoute) -> RouteEvaluation {
        let namespace = route.metadata.namespace ?? "default"
        var evaluation = RouteEvaluation(
            kind: "HTTPRoute", metadata: route.metadata, parentRefs: route.spec.parentRefs ?? [],
            hostnames: route.spec.hostnames ?? [],
            route: HTTPRoute(
                namespace: namespace, name: route.metadata.name, creationTimestamp: route.metadata.creationTimestamp,
                hostnames: route.spec.hostnames ?? []))
        let resolver = BackendResolver(index: index)
        let filters = FilterConverter(
            routeKind: "HTTPRoute", routeNamespace: namespace, resolver: resolver, use: .http,
            allowedTypes: ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite", "RequestMirror"])
        // An HTTPRoute without rules has one default rule (the CRD writes it in; a hand-written
        // snapshot may not).
        let rules = route.spec.rules ?? [GatewayAPI.HTTPRoute.Rule()]
        let converted = rules.enumerated().map { i, rule in
            convert(rule, at: "spec.rules[\(i)]", namespace: namespace, resolver: resolver, filters: filters)
        }
        finish(&evaluation, rules: converted)
        return evaluation
    }

    private func convert(_ rule: GatewayAPI.HTTPRoute.Rule, at path: String, namespace: String,
                         resolver: BackendResolver, filters: FilterConverter)
        -> (rule: HTTPRouteRule, problems: [RuleProblem], backends: [Backend])
    {
        var problems: [RuleProblem] = []
        var backends: [Backend] = []
        var matches: [HTTPRouteMatch] = []
        for (i, match) in (rule.matches ?? []).enumerated() {
            switch Self.convert(match) {
            case .success(let m): matches.append(m)
            case .failure(let p): problems.append(RuleProblem(reason: p.reason, message: "\(path).matches[\(i)]: \(p.message)"))
            }
        }
        let ruleFilters = filters.convert(rule.filters ?? [], at: path)
        problems += ruleFilters.problems
        backends += ruleFilters.backends
        var refs: [HTTPBackendRef] = []
        for (i, ref) in (rule.backendRefs ?? []).enumerated() {
            let refFilters = filters.convert(ref.filters ?? [], at: "\(path).backendRefs[\(i)]")
            problems += refFilters.problems
            backends += refFilters.backends
            let weight = Int(ref.weight ?? 1)
            switch resolver.resolve(ref.ref, routeKind: "HTTPRoute", routeNamespace: namespace, use: .http) {
            case .success(let backend):
                backends.append(backend)
                refs.append(HTTPBackendRef(backend: refFilters.blocksRequests ? nil : backend.name, weight: weight, filters: refFilters.filters))
            case .failure(let problem):
                problems.append(RuleProblem(reason: problem.reason, message: problem.message))
                refs.append(HTTPBackendRef(backend: nil, weight: weight))
            }
        }
        if ruleFilters.blocksRequests {
            // An unknown extension filter on the rule: every request it matches gets 500.
            refs = [HTTPBackendRef(backend: nil, weight: 1)]
        }
        var timeouts: HTTPRouteTimeouts?
        if let t = rule.timeouts {
            let request = t.request.flatMap(GatewayDuration.init)
            let backend = t.backendRequest.flatMap(GatewayDuration.init)
            if t.request != nil && request == nil || t.backendRequest != nil && backend == nil {
                problems.append(RuleProblem(reason: RouteReason.unsupportedValue, message: "\(path).timeouts: not a Gateway API duration"))
            }
            // "0s" disables a timeout (GEP-1742), which the data plane spells as no timeout.
            let effective = HTTPRouteTimeouts(
                request: request?.milliseconds == 0 ? nil : request,
                backendRequest: backend?.milliseconds == 0 ? nil : backend)
            timeouts = effective == HTTPRouteTimeouts() ? nil : effective
        }
        var retry: HTTPRouteRetry?
        if let r = rule.retry {
            // GEP-1731 (experimental channel): unset attempts is left to the implementation; one
            // retry, as most proxies do.
            let backoff = r.backoff.flatMap(GatewayDuration.init)
            if r.backoff != nil && backoff == nil {
                problems.append(RuleProblem(reason: RouteReason.unsupportedValue, message: "\(path).retry.backoff: not a Gateway API duration"))
            } else if let code = (r.codes ?? []).first(where: { !(400...599).contains($0) }) {
                problems.append(RuleProblem(reason: RouteReason.unsupportedValue, message: "\(path).retry.codes: \(code) is not between 400 and 599"))
            } else {
                retry = HTTPRouteRetry(codes: r.codes ?? [], attempts: max(0, r.attempts ?? 1), backoff: backoff)
            }
        }
        if rule.sessionPersistence != nil {
            problems.append(RuleProblem(reason: RouteReason.unsupportedValue, message: "\(path).sessionPersistence is not supported"))
        }
        let converted = HTTPRouteRule(
            name: rule.name, matches: matches, filters: ruleFilters.filters,
            backendRefs: refs, timeouts: timeouts, retry: retry)
        return (converted, problems, backends)
    }

    static func convert(_ match: GatewayAPI.HTTPRoute.Match) -> Result<HTTPRouteMatch, BackendProblem> {
        var result = HTTPRouteMatch()
        if let path = match.path {
            guard let type = PathMatchType(rawValue: path.type ?? "PathPrefix") else {
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "path match type \(path.type ?? "") is not supported"))
            }
            result.path = HTTPPathMatch(type: type, value: path.value ?? "/")
        }
        for header in match.headers ?? [] {
            guard let type = StringMatchType(rawValue: header.type ?? "Exact") else {
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "header match type \(header.type ?? "") is not supported"))
            }
            // The first match for a header name counts; later ones for the same name are ignored (spec).
            if result.headers.contains(where: { $0.name.lowercased() == header.name.lowercased() }) { continue }
            result.headers.append(HTTPHeaderMatch(type: type, name: header.name, value: header.value))
        }
        for query in match.queryParams ?? [] {
            guard let type = StringMatchType(rawValue: query.type ?? "Exact") else {
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "query parameter match type \(query.type ?? "") is not supported"))
            }
            if result.queryParams.contains(where: { $0.name == query.name }) { continue }
            result.queryParams.append(HTTPQueryParamMatch(type: type, name: query.name, value: query.value))
        }
        if let method = match.method {
            guard let parsed = HTTPMethod(rawValue: method) else {
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "method \(method) is not supported"))
            }
            result.method = parsed
        }
        return .success(result)
    }
}
