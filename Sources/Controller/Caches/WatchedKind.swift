import KubeClient

/// A kind the controller watches, and where the API serves it.
struct WatchedKind: Sendable, Hashable {
    var descriptor: ResourceDescriptor
    /// Only objects with these labels (the controller's own objects).
    var labelSelector: String?

    static let managedSelector = "app.kubernetes.io/managed-by=causeway"

    static let gatewayAPIGroup = "gateway.networking.k8s.io"

    static func gatewayAPI(_ resource: String, kind: String, version: String = "v1", namespaced: Bool = true) -> WatchedKind {
        WatchedKind(descriptor: ResourceDescriptor(group: gatewayAPIGroup, version: version, resource: resource, kind: kind,
                                                   namespaced: namespaced))
    }

    static let services = WatchedKind(descriptor: .services)
    static let secrets = WatchedKind(descriptor: .secrets)
    static let namespaces = WatchedKind(descriptor: .namespaces)
    static let endpointSlices = WatchedKind(descriptor: ResourceDescriptor(
        group: "discovery.k8s.io", version: "v1", resource: "endpointslices", kind: "EndpointSlice", namespaced: true))
    static let ingresses = WatchedKind(descriptor: ResourceDescriptor(
        group: "networking.k8s.io", version: "v1", resource: "ingresses", kind: "Ingress", namespaced: true))
    static let ingressClasses = WatchedKind(descriptor: ResourceDescriptor(
        group: "networking.k8s.io", version: "v1", resource: "ingressclasses", kind: "IngressClass", namespaced: false))
    static let gatewayConfigs = WatchedKind(descriptor: ResourceDescriptor(
        group: "causeway.dev", version: "v1alpha1", resource: "gatewayconfigs", kind: "GatewayConfig", namespaced: true))
    static let meshConfigs = WatchedKind(descriptor: ResourceDescriptor(
        group: "causeway.dev", version: "v1alpha1", resource: "meshconfigs", kind: "MeshConfig", namespaced: false))
    static let meshTLSPolicies = WatchedKind(descriptor: ResourceDescriptor(
        group: "causeway.dev", version: "v1alpha1", resource: "meshtlspolicies", kind: "MeshTLSPolicy", namespaced: true))
    static let crds = WatchedKind(descriptor: ResourceDescriptor(
        group: "apiextensions.k8s.io", version: "v1", resource: "customresourcedefinitions", kind: "CustomResourceDefinition",
        namespaced: false))
    static let deployments = WatchedKind(
        descriptor: ResourceDescriptor(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true),
        labelSelector: managedSelector)
    static let serviceAccounts = WatchedKind(
        descriptor: ResourceDescriptor(group: "", version: "v1", resource: "serviceaccounts", kind: "ServiceAccount", namespaced: true),
        labelSelector: managedSelector)
    static let events = WatchedKind(descriptor: .events)
    static let configMaps = WatchedKind(descriptor: .configMaps, labelSelector: managedSelector)
}
