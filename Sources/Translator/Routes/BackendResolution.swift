import KubeTypes
import ProxyConfig

/// Why a backend reference cannot be used; the reason is a route `ResolvedRefs` reason.
struct BackendProblem: Error, Hashable, Sendable {
    var reason: String
    var message: String
}

/// The protocol a route kind needs from its backends.
enum BackendUse {
    case http
    case grpc
}

/// Resolves a route's backend reference (a Service port) to a data-plane backend with its
/// endpoints, or says why it cannot (GEP-709 for cross-namespace references).
struct BackendResolver {
    let index: SnapshotIndex

    /// - Parameters:
    ///   - routeKind: `HTTPRoute` or `GRPCRoute`, for ReferenceGrant `from`.
    func resolve(_ ref: GatewayAPI.BackendRef, routeKind: String, routeNamespace: String, use: BackendUse)
        -> Result<Backend, BackendProblem>
    {
        guard ref.effectiveGroup == "", ref.effectiveKind == "Service" else {
            return .failure(BackendProblem(
                reason: RouteReason.invalidKind,
                message: "backendRef \(ref.name): kind \(groupKind(ref.effectiveKind, ref.effectiveGroup)) is not supported; only core Services can be backends"))
        }
        let namespace = ref.namespace ?? routeNamespace
        let allowed = index.referenceAllowed(
            from: (GatewayAPI.group, routeKind, routeNamespace), to: ("", "Service", namespace, ref.name))
        guard allowed else {
            return .failure(BackendProblem(
                reason: RouteReason.refNotPermitted,
                message: "backendRef \(namespace)/\(ref.name) is in another namespace and no ReferenceGrant in \(namespace) allows \(routeKind)s from \(routeNamespace) to refer to it"))
        }
        guard let service = index.services["\(namespace)/\(ref.name)"] else {
            return .failure(BackendProblem(reason: RouteReason.backendNotFound, message: "Service \(namespace)/\(ref.name) not found"))
        }
        guard let port = ref.port else {
            return .failure(BackendProblem(reason: RouteReason.backendNotFound, message: "backendRef \(namespace)/\(ref.name) must name a port"))
        }
        if service.spec.type == "ExternalName" {
            guard let externalName = service.spec.externalName, !externalName.isEmpty else {
                return .failure(BackendProblem(reason: RouteReason.backendNotFound, message: "ExternalName Service \(namespace)/\(ref.name) has no externalName"))
            }
            let proto = use == .grpc ? BackendProtocol.h2c : .http1
            return .success(Backend(
                name: Self.backendName(namespace: namespace, service: ref.name, port: port, protocol: proto),
                protocol: proto, endpoints: [Endpoint(host: externalName, port: Int(port))]))
        }
        guard let servicePort = service.spec.ports?.first(where: { $0.port == port }) else {
            let ports = (service.spec.ports ?? []).map { String($0.port) }.joined(separator: ", ")
            return .failure(BackendProblem(
                reason: RouteReason.backendNotFound,
                message: "Service \(namespace)/\(ref.name) has no port \(port) (ports: \(ports.isEmpty ? "none" : ports))"))
        }
        let proto: BackendProtocol
        switch Self.backendProtocol(appProtocol: servicePort.appProtocol, use: use) {
        case .success(let p): proto = p
        case .failure(let problem): return .failure(problem)
        }
        let endpoints = ServiceEndpoints.endpoints(for: servicePort, slices: index.slicesByService["\(namespace)/\(ref.name)"] ?? [])
        return .success(Backend(
            name: Self.backendName(namespace: namespace, service: ref.name, port: port, protocol: proto),
            protocol: proto, endpoints: endpoints))
    }

    /// `namespace/service:port`, with `/h2c` when the same port is also spoken to over HTTP/2.
    static func backendName(namespace: String, service: String, port: Int32, protocol proto: BackendProtocol) -> String {
        proto == .h2c ? "\(namespace)/\(service):\(port)/h2c" : "\(namespace)/\(service):\(port)"
    }

    /// The Service port's `appProtocol` decides how to speak to it (GEP-1911). gRPC always
    /// needs HTTP/2; cleartext HTTP/2 to an HTTPRoute backend needs `kubernetes.io/h2c`.
    static func backendProtocol(appProtocol: String?, use: BackendUse) -> Result<BackendProtocol, BackendProblem> {
        switch (appProtocol?.lowercased(), use) {
        case (nil, .http), ("http", .http), ("kubernetes.io/http", .http): return .success(.http1)
        case ("kubernetes.io/h2c", _), ("h2c", _): return .success(.h2c)
        case (nil, .grpc), ("grpc", .grpc), ("http2", .grpc), ("http", .grpc), ("kubernetes.io/http", .grpc): return .success(.h2c)
        case (let other?, _):
            return .failure(BackendProblem(
                reason: RouteReason.unsupportedProtocol,
                message: "appProtocol \"\(other)\" is not supported (supported: kubernetes.io/h2c, http, and for gRPC grpc)"))
        }
    }
}
