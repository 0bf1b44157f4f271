import KubeModel
import KubeTypes
import ProxyConfig

extension Translation {
    /// The configuration of a Gateway's proxies: one data-plane listener per port that has a
    /// served Gateway listener, one virtual host per Gateway listener on it, the routes accepted
    /// through that listener, and the backends they use. Nil when the Gateway is not accepted:
    /// its proxies then keep what they run.
    /// - Parameter candidates: indices of the routes with a parentRef naming this Gateway, in
    ///   order (looking at those only keeps a snapshot's translation linear in its routes).
    func assembleConfig(_ gateway: GatewayEvaluation, routes: [RouteEvaluation], outcomes: [[ParentOutcome]], candidates: [Int]) -> ProxyConfig? {
        guard gateway.waitingForClass == nil, gateway.notAccepted == nil else { return nil }
        var routesByListener: [Int: [HTTPRoute]] = [:]
        var seen: [Int: Set<String>] = [:]
        var backends = BackendTable()
        for index in candidates {
            for outcome in outcomes[index] where outcome.gatewayKey == gateway.key && outcome.refused == nil && outcome.pending == nil {
                for listener in outcome.listeners where gateway.listeners[listener].serves {
                    guard seen[listener, default: []].insert("\(routes[index].kind)/\(routes[index].key)").inserted else { continue }
                    routesByListener[listener, default: []].append(routes[index].route)
                    for backend in routes[index].backends { backends.add(backend) }
                }
            }
        }
        var listeners: [Listener] = []
        let serving = gateway.listeners.indices.filter { gateway.listeners[$0].serves }
        for port in Set(serving.map { gateway.listeners[$0].spec.port }).sorted() {
            let onPort = serving.filter { gateway.listeners[$0].spec.port == port }
            let isHTTPS = gateway.listeners[onPort[0]].spec.protocol == "HTTPS"
            let virtualHosts = onPort.map { i in
                VirtualHost(
                    name: gateway.listeners[i].spec.name, hostname: gateway.listeners[i].spec.hostname,
                    routes: (routesByListener[i] ?? []).sorted { ($0.creationTimestamp ?? "~", $0.qualifiedName) < ($1.creationTimestamp ?? "~", $1.qualifiedName) })
            }
            listeners.append(Listener(
                name: "\(isHTTPS ? "https" : "http")-\(port)", port: Int(port), protocol: isHTTPS ? .https : .http,
                tls: isHTTPS ? TLSConfig(certificates: onPort.flatMap { gateway.listeners[$0].certificates }) : nil,
                virtualHosts: virtualHosts))
        }
        var config = ProxyConfig(version: "", listeners: listeners, backends: backends.sorted)
        config.version = ConfigVersion.make(config, generation: gateway.gateway.metadata.observedGeneration)
        return config
    }

    /// The Deployment/Service/ServiceAccount a Gateway's data plane needs (GEP-1762 naming:
    /// `<gateway>-<class>`).
    func infrastructurePlan(_ gateway: GatewayEvaluation, config: ProxyConfig) -> InfrastructurePlan {
        let meta = gateway.gateway.metadata
        let className = gateway.gateway.spec.gatewayClassName
        return InfrastructurePlan(
            key: gateway.proxyKey, namespace: gateway.namespace,
            name: InfrastructureNames.objectName(gateway.name, className),
            owner: OwnerReference(
                apiVersion: "\(GatewayAPI.group)/v1", kind: "Gateway", name: meta.name, uid: meta.uid ?? "",
                controller: true, blockOwnerDeletion: true),
            gatewayClassName: className,
            ports: Array(Set(gateway.listeners.filter(\.serves).map(\.spec.port))).sorted(),
            config: gateway.config,
            labels: gateway.gateway.spec.infrastructure?.labels ?? [:],
            annotations: gateway.gateway.spec.infrastructure?.annotations ?? [:],
            requestedAddress: gateway.requestedAddresses.first)
    }
}

/// Names of generated objects: Kubernetes names are at most 63 characters for Services, so
/// long ones are cut and made unique again with a hash of the whole.
public enum InfrastructureNames {
    public static func objectName(_ parts: String...) -> String {
        let joined = parts.joined(separator: "-")
        guard joined.utf8.count > 63 else { return joined }
        let suffix = String(StableHash.hex64(joined.utf8).prefix(8))
        var prefix = String(joined.prefix(62 - suffix.count))
        while prefix.hasSuffix("-") || prefix.hasSuffix(".") { prefix.removeLast() }
        return "\(prefix)-\(suffix)"
    }
}
