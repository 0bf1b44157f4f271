import KubeClient
import KubeModel

/// The informers of one controller run: every kind the translator reads, plus the controller's
/// own Deployments and ServiceAccounts. Built from what the API server serves (`ServedKinds`).
final class ClusterCaches: Sendable {
    let served: ServedKinds
    let gatewayClasses: SharedInformer?
    let gateways: SharedInformer?
    let httpRoutes: SharedInformer?
    let grpcRoutes: SharedInformer?
    let referenceGrants: SharedInformer?
    let services: SharedInformer
    let endpointSlices: SharedInformer
    let secrets: SharedInformer
    let namespaces: SharedInformer
    let ingresses: SharedInformer?
    let ingressClasses: SharedInformer?
    let gatewayConfigs: SharedInformer?
    let meshConfigs: SharedInformer?
    let meshTLSPolicies: SharedInformer?
    let crds: SharedInformer
    let deployments: SharedInformer
    let serviceAccounts: SharedInformer
    let configMaps: SharedInformer

    init(client: KubeClient, served: ServedKinds) {
        self.served = served
        func informer(_ kind: WatchedKind, transform: ObjectTransform = .stripManagedFields) -> SharedInformer {
            let resource = client.resource(kind.descriptor)
            return SharedInformer(
                name: kind.descriptor.gvr.resource,
                listerWatcher: resource.listerWatcher(labelSelector: kind.labelSelector), transform: transform)
        }
        func gatewayAPI(_ resource: String, _ kind: String, namespaced: Bool = true) -> SharedInformer? {
            guard let version = served.gatewayAPI[resource] else { return nil }
            return informer(.gatewayAPI(resource, kind: kind, version: version, namespaced: namespaced))
        }
        gatewayClasses = gatewayAPI("gatewayclasses", "GatewayClass", namespaced: false)
        gateways = gatewayAPI("gateways", "Gateway")
        httpRoutes = gatewayAPI("httproutes", "HTTPRoute")
        grpcRoutes = gatewayAPI("grpcroutes", "GRPCRoute")
        referenceGrants = gatewayAPI("referencegrants", "ReferenceGrant")
        services = informer(.services)
        endpointSlices = informer(.endpointSlices)
        secrets = informer(.secrets, transform: Self.secretTransform)
        namespaces = informer(.namespaces)
        ingresses = served.ingresses ? informer(.ingresses) : nil
        ingressClasses = served.ingresses ? informer(.ingressClasses) : nil
        gatewayConfigs = served.gatewayConfigs ? informer(.gatewayConfigs) : nil
        meshConfigs = served.meshConfigs ? informer(.meshConfigs) : nil
        meshTLSPolicies = served.meshTLSPolicies ? informer(.meshTLSPolicies) : nil
        crds = informer(.crds, transform: Self.crdTransform)
        deployments = informer(.deployments)
        serviceAccounts = informer(.serviceAccounts)
        configMaps = informer(.configMaps)
    }

    var all: [SharedInformer] {
        [gatewayClasses, gateways, httpRoutes, grpcRoutes, referenceGrants, services, endpointSlices, secrets, namespaces,
         ingresses, ingressClasses, gatewayConfigs, meshConfigs, meshTLSPolicies, crds, deployments, serviceAccounts, configMaps].compactMap { $0 }
    }

    /// Secrets keep only the keys a certificate needs: the cache must not hold every credential of
    /// the cluster, and most Secrets are not certificates.
    static let secretTransform = ObjectTransform { object in
        var object = ObjectTransform.stripManagedFields.apply(object)
        guard let data = object["data"]?.objectValue else { return object }
        let kept = data.filter { ["tls.crt", "tls.key", "ca.crt"].contains($0.key) }
        object["data"] = .object(kept)
        object[path: ["metadata", "annotations"]] = nil
        return object
    }

    /// CRDs shrink to their names and annotations (the bundle version): their schemas are large.
    static let crdTransform = ObjectTransform { object in
        var slim: JSONValue = ["apiVersion": object["apiVersion"] ?? "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"]
        slim["metadata"] = [
            "name": object[path: ["metadata", "name"]] ?? .null,
            "resourceVersion": object[path: ["metadata", "resourceVersion"]] ?? .null,
            "uid": object[path: ["metadata", "uid"]] ?? .null,
            "annotations": object[path: ["metadata", "annotations"]] ?? .object([:]),
        ]
        slim[path: ["spec", "group"]] = object[path: ["spec", "group"]]
        return slim
    }
}
