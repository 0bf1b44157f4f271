import KubeTypes
import ProxyConfig

/// A reason a rule cannot be served as written, found while converting it.
struct RuleProblem: Hashable {
    /// `UnsupportedValue` drops the rule; a `ResolvedRefs` reason keeps it (its requests get 500).
    var reason: String
    var message: String

    var dropsRule: Bool { reason == RouteReason.unsupportedValue }
}

/// Converts Gateway API filters to the data plane's, one filter type per case.
struct FilterConverter {
    let routeKind: String
    let routeNamespace: String
    let resolver: BackendResolver
    let use: BackendUse
    /// Filter types this route kind allows (GRPCRoute has no redirect or rewrite).
    let allowedTypes: Set<String>

    struct Converted {
        var filters: [HTTPRouteFilter] = []
        /// Backends the mirrors send copies to.
        var backends: [Backend] = []
        var problems: [RuleProblem] = []
        /// A filter Causeway cannot run must not be skipped: the requests it would have handled
        /// are answered 500 instead (Gateway API, `ExtensionRef`).
        var blocksRequests = false
    }

    /// The converted filters, the mirror backends they need, and the problems found.
    func convert(_ filters: [GatewayAPI.Filter], at path: String) -> Converted {
        var converted: [HTTPRouteFilter] = []
        var backends: [Backend] = []
        var problems: [RuleProblem] = []
        var blocks = false
        for (i, filter) in filters.enumerated() {
            let here = "\(path).filters[\(i)]"
            guard allowedTypes.contains(filter.type) else {
                if filter.type == "ExtensionRef" {
                    let ref = filter.extensionRef
                    problems.append(RuleProblem(
                        reason: RouteReason.invalidKind,
                        message: "\(here): extensionRef \(ref.map { "\(groupKind($0.kind, $0.group)) \($0.name)" } ?? "") is not a filter Causeway can run; the requests it would handle are answered 500"))
                    blocks = true
                } else {
                    problems.append(RuleProblem(
                        reason: RouteReason.unsupportedValue,
                        message: "\(here): filter type \(filter.type) is not supported on \(routeKind)s"))
                }
                continue
            }
            switch filter.type {
            case "RequestHeaderModifier":
                converted.append(.requestHeaderModifier(Self.headerFilter(filter.requestHeaderModifier)))
            case "ResponseHeaderModifier":
                converted.append(.responseHeaderModifier(Self.headerFilter(filter.responseHeaderModifier)))
            case "RequestRedirect":
                switch Self.redirect(filter.requestRedirect ?? GatewayAPI.RequestRedirect()) {
                case .success(let redirect): converted.append(.requestRedirect(redirect))
                case .failure(let problem): problems.append(RuleProblem(reason: problem.reason, message: "\(here): \(problem.message)"))
                }
            case "URLRewrite":
                let rewrite = filter.urlRewrite ?? GatewayAPI.URLRewrite()
                switch Self.pathModifier(rewrite.path) {
                case .success(let path): converted.append(.urlRewrite(HTTPURLRewriteFilter(hostname: rewrite.hostname, path: path)))
                case .failure(let problem): problems.append(RuleProblem(reason: problem.reason, message: "\(here): \(problem.message)"))
                }
            case "RequestMirror":
                guard let mirror = filter.requestMirror else { continue }
                switch resolver.resolve(mirror.backendRef, routeKind: routeKind, routeNamespace: routeNamespace, use: use) {
                case .success(let backend):
                    backends.append(backend)
                    converted.append(.requestMirror(HTTPRequestMirrorFilter(
                        backend: backend.name, percent: mirror.percent.map(Int.init),
                        fraction: mirror.fraction.map { Fraction(numerator: Int($0.numerator), denominator: Int($0.denominator ?? 100)) })))
                case .failure(let problem):
                    // An unresolvable mirror is left out; the rule itself still serves.
                    problems.append(RuleProblem(reason: problem.reason, message: "\(here) mirror: \(problem.message)"))
                }
            default:
                problems.append(RuleProblem(
                    reason: RouteReason.unsupportedValue, message: "\(here): filter type \(filter.type) is not supported"))
            }
        }
        return Converted(filters: converted, backends: backends, problems: problems, blocksRequests: blocks)
    }

    static func headerFilter(_ filter: GatewayAPI.HeaderFilter?) -> HTTPHeaderFilter {
        HTTPHeaderFilter(
            set: (filter?.set ?? []).map { HTTPHeader(name: $0.name, value: $0.value) },
            add: (filter?.add ?? []).map { HTTPHeader(name: $0.name, value: $0.value) },
            remove: filter?.remove ?? [])
    }

    static func pathModifier(_ modifier: GatewayAPI.PathModifier?) -> Result<HTTPPathModifier?, BackendProblem> {
        guard let modifier else { return .success(nil) }
        switch modifier.type {
        case "ReplaceFullPath": return .success(.replaceFullPath(modifier.replaceFullPath ?? "/"))
        case "ReplacePrefixMatch": return .success(.replacePrefixMatch(modifier.replacePrefixMatch ?? "/"))
        default:
            return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "path modifier type \(modifier.type) is not supported"))
        }
    }

    static func redirect(_ redirect: GatewayAPI.RequestRedirect) -> Result<HTTPRequestRedirectFilter, BackendProblem> {
        if let scheme = redirect.scheme, scheme != "http", scheme != "https" {
            return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "redirect scheme \(scheme) is not supported (http, https)"))
        }
        let status = redirect.statusCode ?? 302
        guard HTTPRequestRedirectFilter.allowedStatusCodes.contains(status) else {
            return .failure(BackendProblem(reason: RouteReason.unsupportedValue, message: "redirect statusCode \(status) is not supported (301, 302, 303, 307, 308)"))
        }
        switch pathModifier(redirect.path) {
        case .success(let path):
            return .success(HTTPRequestRedirectFilter(
                scheme: redirect.scheme, hostname: redirect.hostname, path: path, port: redirect.port.map(Int.init), statusCode: status))
        case .failure(let problem):
            return .failure(problem)
        }
    }
}
