import KubeTypes

/// A route bound to a Service (GAMMA): a parentRef of kind `Service` in the core group.
struct MeshParent {
    let route: Int
    let ref: GatewayAPI.ParentReference
    /// `namespace/name` of the Service.
    let service: String
    let serviceNamespace: String
    /// A producer route lives in the Service's namespace and applies to every client; a
    /// consumer route lives in the client's namespace and applies only to clients there.
    var isProducer: Bool
}

extension GatewayAPI.ParentReference {
    var refersToService: Bool { (group ?? GatewayAPI.group) == "" && kind == "Service" }
}

extension Translation {
    /// Finds every Service parentRef and writes its `status.parents` entry: accepted when the
    /// Service exists (GAMMA needs no ReferenceGrant for consumer routes), refused otherwise.
    mutating func attachMeshParents(_ routes: [RouteEvaluation]) -> [MeshParent] {
        var parents: [MeshParent] = []
        for (i, route) in routes.enumerated() {
            var statuses: [GatewayAPI.RouteParentStatus] = []
            for ref in route.parentRefs where ref.refersToService {
                let namespace = ref.namespace ?? route.namespace
                let key = "\(namespace)/\(ref.name)"
                var outcome = ParentOutcome(parentRef: ref, gatewayKey: key)
                if let service = index.services[key] {
                    if let port = ref.port, !(service.spec.ports ?? []).contains(where: { $0.port == port }) {
                        outcome.refused = Failure(reason: RouteReason.noMatchingParent, message: "Service \(key) has no port \(port)")
                    } else if route.isEntirelyInvalid {
                        outcome.refused = Failure(reason: RouteReason.unsupportedValue,
                                                  message: "no rule can be served: \(route.droppedRules.joined(separator: "; "))")
                    } else {
                        parents.append(MeshParent(route: i, ref: ref, service: key, serviceNamespace: namespace,
                                                  isProducer: namespace == route.namespace))
                    }
                } else {
                    outcome.refused = Failure(reason: RouteReason.noMatchingParent, message: "Service \(key) not found")
                }
                statuses.append(meshParentStatus(route, outcome))
            }
            guard !statuses.isEmpty else { continue }
            if route.kind == "HTTPRoute" {
                result.httpRouteParents[route.key, default: []].append(contentsOf: statuses)
            } else {
                result.grpcRouteParents[route.key, default: []].append(contentsOf: statuses)
            }
        }
        return parents
    }

    private func meshParentStatus(_ route: RouteEvaluation, _ outcome: ParentOutcome) -> GatewayAPI.RouteParentStatus {
        var status = parentStatus(route, outcome)
        if outcome.refused == nil, let index = status.conditions.firstIndex(where: { $0.type == ConditionType.accepted }) {
            let ref = outcome.parentRef
            status.conditions[index].message = "routes mesh traffic for Service \(outcome.gatewayKey)"
                + (ref.port.map { " port \($0)" } ?? "")
                + ((ref.namespace ?? route.namespace) == route.namespace ? "" : " from clients in namespace \(route.namespace)")
        }
        status.parentRef.group = ""
        status.parentRef.kind = "Service"
        return status
    }
}
