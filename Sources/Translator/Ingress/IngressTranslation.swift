import KubeModel
import KubeTypes
import ProxyConfig

/// Ingress (networking/v1) for the IngressClasses whose controller is Causeway's: each class
/// gets a data plane of its own (in the controller's namespace), serving every Ingress of the
/// class on ports 80 and 443. Ingress-nginx annotations that matter for a migration are
/// honoured (`NginxAnnotations`).
extension Translation {
    mutating func translateIngresses() {
        let ours = snapshot.ingressClasses
            .filter { $0.spec.controller == snapshot.settings.ingressControllerName }
            .sorted { $0.metadata.name < $1.metadata.name }
        guard !ours.isEmpty else { return }
        let defaultClass = ours.first(where: \.isDefault)?.metadata.name
        var byClass: [String: [Ingress]] = [:]
        for ingress in snapshot.ingresses {
            let className = ingress.spec.ingressClassName ?? ingress.metadata.annotation(Ingress.classAnnotation) ?? defaultClass
            guard let className, ours.contains(where: { $0.metadata.name == className }) else { continue }
            byClass[className, default: []].append(ingress)
        }
        // A class no Ingress uses needs no data plane.
        for ingressClass in ours where byClass[ingressClass.metadata.name] != nil {
            let ingresses = (byClass[ingressClass.metadata.name] ?? []).sorted {
                ($0.metadata.creationTimestamp ?? "~", $0.metadata.key) < ($1.metadata.creationTimestamp ?? "~", $1.metadata.key)
            }
            translate(ingressClass, ingresses: ingresses)
        }
    }

    private mutating func translate(_ ingressClass: IngressClass, ingresses: [Ingress]) {
        let key = ProxyKey.ingress(className: ingressClass.metadata.name)
        var builder = IngressConfigBuilder(resolver: BackendResolver(index: index), certificates: CertificateResolver(index: index))
        for ingress in ingresses { builder.add(ingress) }
        var config = builder.config()
        config.version = ConfigVersion.make(config, generation: ingressClass.metadata.observedGeneration)
        result.proxyConfigs[key] = config
        for (ingressKey, warnings) in builder.warnings where !warnings.isEmpty { result.ingressWarnings[ingressKey] = warnings }
        var gatewayConfig = GatewayConfig.Spec()
        if let parameters = ingressClass.spec.parameters, parameters.apiGroup == GatewayConfig.group, parameters.kind == GatewayConfig.kind,
           let found = index.gatewayConfigs["\(parameters.namespace ?? snapshot.settings.controllerNamespace)/\(parameters.name)"] {
            gatewayConfig = found.spec
        }
        result.infrastructure[key] = InfrastructurePlan(
            key: key, namespace: snapshot.settings.controllerNamespace,
            name: InfrastructureNames.objectName("causeway-ingress", ingressClass.metadata.name),
            owner: OwnerReference(apiVersion: "networking.k8s.io/v1", kind: "IngressClass", name: ingressClass.metadata.name,
                                  uid: ingressClass.metadata.uid ?? "", controller: true, blockOwnerDeletion: true),
            gatewayClassName: nil, ports: config.listeners.map { Int32($0.port) }, config: gatewayConfig)
        let addresses = snapshot.dataPlanes[key]?.addresses ?? []
        let status = LoadBalancerStatus(ingress: addresses.compactMap { address in
            guard let value = address.value else { return nil }
            return address.effectiveType == "Hostname" ? LoadBalancerIngress(hostname: value) : LoadBalancerIngress(ip: value)
        })
        for ingress in ingresses { result.ingressStatuses[ingress.metadata.key] = status }
    }
}

/// Collects the routes of a class's Ingresses into one configuration.
struct IngressConfigBuilder {
    let resolver: BackendResolver
    let certificates: CertificateResolver
    /// Routes by listener hostname ("" for any host), for the HTTP and the HTTPS listener.
    private var plain: [String: [HTTPRoute]] = [:]
    private var secure: [String: [HTTPRoute]] = [:]
    private var tls: [TLSCertificate] = []
    private var backends = BackendTable()
    private(set) var warnings: [String: [String]] = [:]

    init(resolver: BackendResolver, certificates: CertificateResolver) {
        self.resolver = resolver
        self.certificates = certificates
    }

    mutating func add(_ ingress: Ingress) {
        let namespace = ingress.metadata.namespace ?? "default"
        let key = ingress.metadata.key
        var annotations = NginxAnnotations(ingress.metadata.annotations ?? [:])
        var tlsHosts = Set<String>()
        for entry in ingress.spec.tls ?? [] {
            guard let secretName = entry.secretName else { continue }
            switch certificates.resolve([GatewayAPI.SecretObjectReference(name: secretName)], gatewayNamespace: namespace, hostname: nil) {
            case .success(let found):
                for certificate in found {
                    tls.append(TLSCertificate(hostnames: entry.hosts ?? [], certificateChain: certificate.certificateChain,
                                              privateKey: certificate.privateKey))
                }
                tlsHosts.formUnion((entry.hosts ?? []).map { $0.lowercased() })
            case .failure(let problem):
                annotations.warnings.append("tls secret \(secretName): \(problem.message); its hosts are served without it")
            }
        }
        var byHost: [String: [HTTPRouteRule]] = [:]
        var hostOrder: [String] = []
        for rule in ingress.spec.rules ?? [] {
            let host = rule.host?.lowercased() ?? ""
            if byHost[host] == nil { hostOrder.append(host) }
            for path in rule.http?.paths ?? [] {
                byHost[host, default: []].append(contentsOf: rules(for: path, namespace: namespace, annotations: &annotations))
            }
        }
        if let fallback = ingress.spec.defaultBackend {
            let path = Ingress.Path(path: "/", pathType: "Prefix", backend: fallback)
            let catchAll = rules(for: path, namespace: namespace, annotations: &annotations)
            for host in hostOrder { byHost[host, default: []].append(contentsOf: catchAll) }
            if byHost[""] == nil { hostOrder.append("") }
            byHost["", default: []].append(contentsOf: catchAll)
        }
        for host in hostOrder {
            var rules = byHost[host] ?? []
            if let root = annotations.appRoot {
                rules.insert(HTTPRouteRule(
                    matches: [HTTPRouteMatch(path: .exact("/"))],
                    filters: [.requestRedirect(HTTPRequestRedirectFilter(path: .replaceFullPath(root), statusCode: 302))]), at: 0)
            }
            let route = HTTPRoute(
                namespace: namespace, name: ingress.metadata.name, creationTimestamp: ingress.metadata.creationTimestamp, rules: rules)
            secure[host, default: []].append(route)
            let redirectsToHTTPS = annotations.forceSSLRedirect || (annotations.sslRedirect && Self.covered(host, by: tlsHosts))
            plain[host, default: []].append(redirectsToHTTPS ? Self.redirectingToHTTPS(route) : route)
        }
        warnings[key] = annotations.warnings
    }

    /// One Ingress path as a data-plane rule.
    private mutating func rules(for path: Ingress.Path, namespace: String, annotations: inout NginxAnnotations) -> [HTTPRouteRule] {
        let value = path.path ?? "/"
        let match: HTTPRouteMatch
        switch (path.pathType, annotations.useRegex) {
        case ("Exact", _): match = HTTPRouteMatch(path: .exact(value))
        case (_, true):
            // As ingress-nginx does with use-regex (or rewrite-target): the path is a
            // case-insensitive regular expression anchored at the start of the request path.
            match = HTTPRouteMatch(path: .regex("(?i)(?:\(value)).*"))
        default:
            // Prefix, and ImplementationSpecific as ingress-nginx reads it: element-wise prefix.
            match = HTTPRouteMatch(path: .prefix(value))
        }
        if let redirect = annotations.redirect {
            guard let filter = Self.redirectFilter(redirect.url, code: redirect.code) else {
                annotations.warnings.append("redirect target \(redirect.url) is not an absolute http(s) URL")
                return []
            }
            return [HTTPRouteRule(matches: [match], filters: [.requestRedirect(filter)])]
        }
        var filters: [HTTPRouteFilter] = []
        let rewrite = annotations.rewriteTarget.map { target in
            HTTPPathModifier.regexSubstitution(RegexPathSubstitution(pattern: "(?i)\(annotations.useRegex ? value : Self.escaped(value))", substitution: target))
        }
        if rewrite != nil || annotations.upstreamVhost != nil {
            filters.append(.urlRewrite(HTTPURLRewriteFilter(hostname: annotations.upstreamVhost, path: rewrite)))
        }
        var refs: [HTTPBackendRef] = []
        if let service = path.backend.service {
            switch port(of: service, namespace: namespace) {
            case .success(let port):
                let ref = GatewayAPI.BackendRef(name: service.name, namespace: namespace, port: port)
                switch resolver.resolve(ref, routeKind: "Ingress", routeNamespace: namespace, use: annotations.backendHTTP2 ? .grpc : .http) {
                case .success(let backend):
                    backends.add(backend)
                    refs.append(HTTPBackendRef(backend: backend.name))
                case .failure(let problem):
                    annotations.warnings.append("path \(value): \(problem.message); requests get 500")
                    refs.append(HTTPBackendRef(backend: nil))
                }
            case .failure(let problem):
                annotations.warnings.append("path \(value): \(problem.message); requests get 500")
                refs.append(HTTPBackendRef(backend: nil))
            }
        } else {
            annotations.warnings.append("path \(value): only Service backends are supported; requests get 500")
            refs.append(HTTPBackendRef(backend: nil))
        }
        let rule = HTTPRouteRule(matches: [match], filters: filters, backendRefs: refs)
        if let problem = Translation.dataPlaneProblems(rule, backends: backends.sorted).first {
            annotations.warnings.append("path \(value) is not served: \(problem.message)")
            return []
        }
        return [rule]
    }

    /// The Service port an Ingress backend names, by number or by name.
    private func port(of service: Ingress.ServiceBackend, namespace: String) -> Result<Int32, BackendProblem> {
        if let number = service.port?.number { return .success(number) }
        guard let name = service.port?.name else {
            return .failure(BackendProblem(reason: RouteReason.backendNotFound, message: "backend \(service.name) names no port"))
        }
        guard let found = resolver.index.services["\(namespace)/\(service.name)"]?.spec.ports?.first(where: { $0.name == name }) else {
            return .failure(BackendProblem(
                reason: RouteReason.backendNotFound, message: "Service \(namespace)/\(service.name) has no port named \(name)"))
        }
        return .success(found.port)
    }

    func config() -> ProxyConfig {
        var listeners: [Listener] = []
        func virtualHosts(_ routes: [String: [HTTPRoute]]) -> [VirtualHost] {
            routes.keys.sorted().map { host in
                VirtualHost(name: host.isEmpty ? "any-host" : host, hostname: host.isEmpty ? nil : host, routes: routes[host] ?? [])
            }
        }
        if !plain.isEmpty {
            listeners.append(Listener(name: "http-80", port: 80, virtualHosts: virtualHosts(plain)))
        }
        if !tls.isEmpty {
            listeners.append(Listener(name: "https-443", port: 443, protocol: .https, tls: TLSConfig(certificates: tls),
                                      virtualHosts: virtualHosts(secure)))
        }
        return ProxyConfig(version: "", listeners: listeners, backends: backends.sorted)
    }

    private static func covered(_ host: String, by tlsHosts: Set<String>) -> Bool {
        tlsHosts.contains(host) || tlsHosts.contains { Hostname.wildcard($0, matches: host) }
    }

    private static func redirectingToHTTPS(_ route: HTTPRoute) -> HTTPRoute {
        var route = route
        route.rules = route.rules.map { rule in
            HTTPRouteRule(name: rule.name, matches: rule.matches,
                          filters: [.requestRedirect(HTTPRequestRedirectFilter(scheme: "https", statusCode: 308))])
        }
        return route
    }

    /// A redirect to an absolute URL: its scheme, host, port and path replace the request's.
    static func redirectFilter(_ url: String, code: Int) -> HTTPRequestRedirectFilter? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let path = rest.dropFirst(authority.count).prefix { $0 != "?" }
        var host = String(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), let number = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = number
        }
        guard !host.isEmpty else { return nil }
        return HTTPRequestRedirectFilter(
            scheme: scheme, hostname: host, path: .replaceFullPath(path.isEmpty ? "/" : String(path)), port: port,
            statusCode: HTTPRequestRedirectFilter.allowedStatusCodes.contains(code) ? code : 301)
    }

    private static func escaped(_ text: String) -> String { Translation.escapedForRegex(text) }
}
