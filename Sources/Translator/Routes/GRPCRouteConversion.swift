import KubeTypes
import ProxyConfig

extension Translation {
    /// Converts a GRPCRoute to the data plane's HTTP route: a gRPC call is an HTTP/2 POST to
    /// `/<service>/<method>`, so method matches become path matches and backends speak h2c.
    func convert(_ route: GatewayAPI.GRPCRoute) -> RouteEvaluation {
        let namespace = route.metadata.namespace ?? "default"
        var evaluation = RouteEvaluation(
            kind: "GRPCRoute", metadata: route.metadata, parentRefs: route.spec.parentRefs ?? [],
            hostnames: route.spec.hostnames ?? [],
            route: HTTPRoute(
                namespace: namespace, name: route.metadata.name, creationTimestamp: route.metadata.creationTimestamp,
                hostnames: route.spec.hostnames ?? []))
        let resolver = BackendResolver(index: index)
        let filters = FilterConverter(
            routeKind: "GRPCRoute", routeNamespace: namespace, resolver: resolver, use: .grpc,
            allowedTypes: ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror"])
        let rules = route.spec.rules ?? [GatewayAPI.GRPCRoute.Rule()]
        let converted = rules.enumerated().map { i, rule -> (rule: HTTPRouteRule, problems: [RuleProblem], backends: [Backend]) in
            let path = "spec.rules[\(i)]"
            var problems: [RuleProblem] = []
            var backends: [Backend] = []
            var matches: [HTTPRouteMatch] = []
            for (j, match) in (rule.matches ?? []).enumerated() {
                switch Self.convert(match) {
                case .success(let m): matches.append(m)
                case .failure(let p): problems.append(RuleProblem(reason: p.reason, message: "\(path).matches[\(j)]: \(p.message)"))
                }
            }
            let ruleFilters = filters.convert(rule.filters ?? [], at: path)
            problems += ruleFilters.problems
            backends += ruleFilters.backends
            var refs: [HTTPBackendRef] = []
            for (j, ref) in (rule.backendRefs ?? []).enumerated() {
                let refFilters = filters.convert(ref.filters ?? [], at: "\(path).backendRefs[\(j)]")
                problems += refFilters.problems
                backends += refFilters.backends
                let weight = Int(ref.weight ?? 1)
                switch resolver.resolve(ref.ref, routeKind: "GRPCRoute", routeNamespace: namespace, use: .grpc) {
                case .success(let backend):
                    backends.append(backend)
                    refs.append(HTTPBackendRef(backend: refFilters.blocksRequests ? nil : backend.name, weight: weight, filters: refFilters.filters))
                case .failure(let problem):
                    problems.append(RuleProblem(reason: problem.reason, message: problem.message))
                    refs.append(HTTPBackendRef(backend: nil, weight: weight))
                }
            }
            if ruleFilters.blocksRequests { refs = [HTTPBackendRef(backend: nil, weight: 1)] }
            return (HTTPRouteRule(name: rule.name, matches: matches, filters: ruleFilters.filters, backendRefs: refs), problems, backends)
        }
        finish(&evaluation, rules: converted)
        return evaluation
    }

    static func convert(_ match: GatewayAPI.GRPCRoute.Match) -> Result<HTTPRouteMatch, BackendProblem> {
        var result = HTTPRouteMatch()
        if let method = match.method {
            switch (method.type ?? "Exact", method.service, method.method) {
            case ("Exact", let service?, let name?):
                result.path = .exact("/\(service)/\(name)")
            case ("Exact", let service?, nil):
                result.path = .prefix("/\(service)")
            case ("Exact", nil, let name?):
                result.path = .regex("/[^/]+/\(Self.escapedForRegex(name))")
            case ("Exact", nil, nil):
                break
            case ("RegularExpression", let service, let name):
                result.path = .regex("/(?:\(service ?? "[^/]+"))/(?:\(name ?? "[^/]+"))")
            case (let other, _, _):
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "method match type \(other) is not supported"))
            }
        }
        for header in match.headers ?? [] {
            guard let type = StringMatchType(rawValue: header.type ?? "Exact") else {
                return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "header match type \(header.type ?? "") is not supported"))
            }
            if result.headers.contains(where: { $0.name.lowercased() == header.name.lowercased() }) { continue }
            result.headers.append(HTTPHeaderMatch(type: type, name: header.name, value: header.value))
        }
        return .success(result)
    }

    /// The text with regex metacharacters escaped, so it matches itself.
    static func escapedForRegex(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\.^$|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
