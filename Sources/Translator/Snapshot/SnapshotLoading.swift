import KubeModel
import KubeTypes

extension ResourceSnapshot {
    /// Adds one object, as the API serves it, to the collection of its kind. Returns false for
    /// kinds the translator does not read; throws when a known kind does not decode.
    @discardableResult
    public mutating func add(_ object: JSONValue) throws -> Bool {
        let kind = object["kind"]?.stringValue ?? ""
        let group = GroupVersionKind(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: kind).group
        let decoder = JSONValueDecoder()
        switch (group, kind) {
        case (GatewayAPI.group, "GatewayClass"): gatewayClasses.append(try decoder.decode(GatewayAPI.GatewayClass.self, from: object))
        case (GatewayAPI.group, "Gateway"): gateways.append(try decoder.decode(GatewayAPI.Gateway.self, from: object))
        case (GatewayAPI.group, "HTTPRoute"): httpRoutes.append(try decoder.decode(GatewayAPI.HTTPRoute.self, from: object))
        case (GatewayAPI.group, "GRPCRoute"): grpcRoutes.append(try decoder.decode(GatewayAPI.GRPCRoute.self, from: object))
        case (GatewayAPI.group, "ReferenceGrant"): referenceGrants.append(try decoder.decode(GatewayAPI.ReferenceGrant.self, from: object))
        case ("", "Service"): services.append(try decoder.decode(Service.self, from: object))
        case ("discovery.k8s.io", "EndpointSlice"): endpointSlices.append(try decoder.decode(EndpointSlice.self, from: object))
        case ("", "Secret"): secrets.append(try decoder.decode(Secret.self, from: object))
        case ("", "Namespace"): namespaces.append(try decoder.decode(Namespace.self, from: object))
        case ("networking.k8s.io", "Ingress"): ingresses.append(try decoder.decode(Ingress.self, from: object))
        case ("networking.k8s.io", "IngressClass"): ingressClasses.append(try decoder.decode(IngressClass.self, from: object))
        case (GatewayConfig.group, GatewayConfig.kind): gatewayConfigs.append(try decoder.decode(GatewayConfig.self, from: object))
        case (MeshTLSPolicy.group, MeshTLSPolicy.kind): meshTLSPolicies.append(try decoder.decode(MeshTLSPolicy.self, from: object))
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            guard let name = object[path: ["metadata", "name"]]?.stringValue, name.hasSuffix(".\(GatewayAPI.group)") else { return false }
            installedCRDBundleVersions[name] = .some(object[path: ["metadata", "annotations", "gateway.networking.k8s.io/bundle-version"]]?.stringValue)
        default:
            return false
        }
        return true
    }
}
