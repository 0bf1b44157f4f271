import KubeTypes
import ProxyConfig

/// The configuration of one meshed namespace's sidecars.
///
/// Every Service a sidecar may need to route is one virtual listener (its cluster IP and port):
/// the GAMMA routes bound to it — the client namespace's own (consumer) routes when it has any,
/// else the Service namespace's (producer) routes — or a default route to the Service. Services
/// of meshed namespaces are reached over mTLS, checked against their namespace; others in plain
/// text. Services outside the mesh that no route binds are left out: their traffic passes through.
struct SidecarConfigAssembly {
    let meshed: Set<String>
    let routes: [RouteEvaluation]
    /// Accepted Service parents, by Service key.
    let parentsByService: [String: [MeshParent]]
    let index: SnapshotIndex
    /// The Services worth a virtual listener, sorted by key.
    let services: [Service]
    /// Headless Services of meshed namespaces, whose clients dial the endpoints.
    let headless: [Service]

    init(meshed: Set<String>, routes: [RouteEvaluation], parents: [MeshParent], index: SnapshotIndex, snapshot: ResourceSnapshot) {
        self.meshed = meshed
        self.routes = routes
        self.index = index
        var byService: [String: [MeshParent]] = [:]
        for parent in parents { byService[parent.service, default: []].append(parent) }
        parentsByService = byService
        services = snapshot.services.filter { service in
            guard Self.clusterIPs(service).isEmpty == false else { return false }
            return meshed.contains(service.metadata.namespace ?? "default") || byService[service.metadata.key] != nil
        }.sorted { $0.metadata.key < $1.metadata.key }
        headless = snapshot.services.filter { service in
            service.spec.clusterIP == "None" && meshed.contains(service.metadata.namespace ?? "default")
        }.sorted { $0.metadata.key < $1.metadata.key }
    }

    static func clusterIPs(_ service: Service) -> [String] {
        if service.spec.type == "ExternalName" { return [] }
        let ips = service.spec.clusterIPs ?? service.spec.clusterIP.map { [$0] } ?? []
        return ips.filter { !$0.isEmpty && $0 != "None" }
    }

    func config(namespace: String, inbound: InboundPolicy) -> ProxyConfig {
        var listeners: [Listener] = []
        var entries: [MeshServicePort] = []
        var backends = BackendTable()
        for service in services {
            let serviceNamespace = service.metadata.namespace ?? "default"
            let key = service.metadata.key
            let addresses = Self.clusterIPs(service)
            let parents = parentsByService[key] ?? []
            let consumer = parents.filter { !$0.isProducer && routes[$0.route].namespace == namespace }
            let chosen = consumer.isEmpty ? parents.filter(\.isProducer) : consumer
            for port in service.spec.ports ?? [] where (port.protocol ?? "TCP") == "TCP" {
                let defaultBackend = Self.backend(service, port: port, slices: index.slicesByService[key] ?? [])
                backends.add(defaultBackend)
                var bound: [HTTPRoute] = []
                var seen: Set<Int> = []
                for parent in chosen where parent.ref.port == nil || parent.ref.port == port.port {
                    guard seen.insert(parent.route).inserted else { continue }
                    var route = routes[parent.route].route
                    // GAMMA: the Service, not a Host header, selects the route.
                    route.hostnames = []
                    bound.append(route)
                    for backend in routes[parent.route].backends { backends.add(backend) }
                }
                if bound.isEmpty {
                    bound = [HTTPRoute(namespace: serviceNamespace, name: service.metadata.name, rules: [
                        HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: defaultBackend.name)]),
                    ])]
                }
                bound.sort { ($0.creationTimestamp ?? "~", $0.qualifiedName) < ($1.creationTimestamp ?? "~", $1.qualifiedName) }
                let name = "outbound/\(key):\(port.port)"
                listeners.append(Listener(name: name, address: addresses[0], port: Int(port.port),
                                          virtualHosts: [VirtualHost(name: key, routes: bound)], bind: false))
                entries.append(MeshServicePort(service: key, addresses: addresses, port: Int(port.port),
                                               protocol: Self.appProtocol(port), listener: name, backend: defaultBackend.name))
            }
        }
        addHeadlessEndpoints(to: &listeners, entries: &entries, backends: &backends)
        let secured = backends.sorted.map { backend -> Backend in
            var backend = backend
            if let namespace = Self.namespace(ofBackend: backend.name), meshed.contains(namespace), isClusterService(backend.name) {
                backend.mtls = MeshUpstreamTLS(namespaces: [namespace])
            }
            return backend
        }
        var config = ProxyConfig(version: "", listeners: listeners, backends: secured,
                                 sidecar: SidecarConfig(services: entries, inbound: inbound))
        config.version = ConfigVersion.make(config, generation: 0)
        return config
    }

    /// Clients of a headless Service (StatefulSets) connect to its pods' addresses, not to a
    /// cluster IP: each endpoint of a meshed headless Service is a destination of its own, so that
    /// traffic too goes over mTLS (under STRICT it would otherwise be refused).
    private func addHeadlessEndpoints(to listeners: inout [Listener], entries: inout [MeshServicePort], backends: inout BackendTable) {
        var taken = Set(entries.flatMap { entry in entry.addresses.map { "\($0):\(entry.port)" } })
        for service in headless {
            let key = service.metadata.key
            for port in service.spec.ports ?? [] where (port.protocol ?? "TCP") == "TCP" {
                for endpoint in ServiceEndpoints.endpoints(for: port, slices: index.slicesByService[key] ?? []) {
                    let destination = endpoint.host.contains(":") ? "[\(endpoint.host)]:\(endpoint.port)" : "\(endpoint.host):\(endpoint.port)"
                    guard taken.insert("\(endpoint.host):\(endpoint.port)").inserted else { continue }
                    let backend = Backend(name: "\(key)/\(destination)", endpoints: [Endpoint(host: endpoint.host, port: endpoint.port)])
                    backends.add(backend)
                    let name = "outbound/\(key)/\(destination)"
                    listeners.append(Listener(name: name, address: endpoint.host, port: endpoint.port, virtualHosts: [
                        VirtualHost(name: key, routes: [HTTPRoute(namespace: service.metadata.namespace ?? "default", name: service.metadata.name,
                                                                  rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: backend.name)])])]),
                    ], bind: false))
                    entries.append(MeshServicePort(service: key, addresses: [endpoint.host], port: endpoint.port,
                                                   protocol: Self.appProtocol(port), listener: name, backend: backend.name))
                }
            }
        }
    }

    /// The Service port as a plain backend: its ready endpoints, HTTP/2 when `appProtocol` says h2c.
    static func backend(_ service: Service, port: Service.Port, slices: [EndpointSlice]) -> Backend {
        let proto: BackendProtocol = port.appProtocol?.lowercased() == "kubernetes.io/h2c" ? .h2c : .http1
        return Backend(
            name: BackendResolver.backendName(namespace: service.metadata.namespace ?? "default", service: service.metadata.name,
                                              port: port.port, protocol: proto),
            protocol: proto, endpoints: ServiceEndpoints.endpoints(for: port, slices: slices))
    }

    /// `appProtocol` first, then the port name's prefix (`http-web`, `tcp-db`), as is customary.
    static func appProtocol(_ port: Service.Port) -> MeshAppProtocol {
        let hint = (port.appProtocol ?? port.name.map { $0.split(separator: "-").first.map(String.init) ?? $0 } ?? "").lowercased()
        switch hint {
        case "http", "http2", "h2c", "kubernetes.io/h2c", "grpc", "grpc-web": return .http
        case "tcp", "mysql", "mongo", "redis", "postgres", "postgresql", "smtp", "amqp", "kafka": return .tcp
        default: return .detect
        }
    }

    static func namespace(ofBackend name: String) -> String? {
        name.firstIndex(of: "/").map { String(name[..<$0]) }
    }

    /// ExternalName Services resolve outside the cluster: no sidecar answers there.
    private func isClusterService(_ backendName: String) -> Bool {
        guard let colon = backendName.firstIndex(of: ":") else { return false }
        return index.services[String(backendName[..<colon])]?.spec.type != "ExternalName"
    }
}

extension Translation {
    /// Sidecar configurations for every meshed namespace, GAMMA parent statuses, and the
    /// statuses of MeshTLSPolicies.
    mutating func translateMesh(_ routes: [RouteEvaluation]) {
        let meshed = MeshNamespaces.meshed(snapshot)
        let parents = attachMeshParents(routes)
        let policies = MeshTLSPolicyEvaluation(policies: snapshot.meshTLSPolicies, meshed: meshed)
        result.meshTLSPolicyStatuses = policies.statuses
        guard !meshed.isEmpty else { return }
        let assembly = SidecarConfigAssembly(meshed: meshed, routes: routes, parents: parents, index: index, snapshot: snapshot)
        for namespace in meshed.sorted() {
            result.proxyConfigs[.mesh(namespace: namespace)] = assembly.config(namespace: namespace,
                                                                             inbound: policies.inbound[namespace] ?? InboundPolicy())
        }
    }
}
