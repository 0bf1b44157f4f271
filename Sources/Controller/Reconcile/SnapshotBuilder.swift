import KubeClient
import KubeModel
import KubeTypes
import Logging
import Translator

/// Reads the caches into the translator's input.
final class SnapshotBuilder: Sendable {
    let caches: ClusterCaches
    let settings: TranslatorSettings
    let registry: DataPlaneRegistry
    let logger: Logger

    private let gatewayClasses = TypedObjects<GatewayAPI.GatewayClass>()
    private let gateways = TypedObjects<GatewayAPI.Gateway>()
    private let httpRoutes = TypedObjects<GatewayAPI.HTTPRoute>()
    private let grpcRoutes = TypedObjects<GatewayAPI.GRPCRoute>()
    private let referenceGrants = TypedObjects<GatewayAPI.ReferenceGrant>()
    private let services = TypedObjects<Service>()
    private let endpointSlices = TypedObjects<EndpointSlice>()
    private let secrets = TypedObjects<Secret>()
    private let namespaces = TypedObjects<Namespace>()
    private let ingresses = TypedObjects<Ingress>()
    private let ingressClasses = TypedObjects<IngressClass>()
    private let gatewayConfigs = TypedObjects<GatewayConfig>()
    private let meshTLSPolicies = TypedObjects<MeshTLSPolicy>()

    init(caches: ClusterCaches, settings: TranslatorSettings, registry: DataPlaneRegistry, logger: Logger) {
        self.caches = caches
        self.settings = settings
        self.registry = registry
        self.logger = logger
    }

    func build() -> ResourceSnapshot {
        let report: (String, any Error) -> Void = { [logger] key, error in
            logger.warning("object does not decode; it is left out", metadata: ["object": "\(key)", "error": "\(error)"])
        }
        var snapshot = ResourceSnapshot(settings: settings)
        snapshot.gatewayClasses = gatewayClasses.objects(from: caches.gatewayClasses, undecodable: report)
        snapshot.gateways = gateways.objects(from: caches.gateways, undecodable: report)
        snapshot.httpRoutes = httpRoutes.objects(from: caches.httpRoutes, undecodable: report)
        snapshot.grpcRoutes = grpcRoutes.objects(from: caches.grpcRoutes, undecodable: report)
        snapshot.referenceGrants = referenceGrants.objects(from: caches.referenceGrants, undecodable: report)
        snapshot.services = services.objects(from: caches.services, undecodable: report)
        snapshot.endpointSlices = endpointSlices.objects(from: caches.endpointSlices, undecodable: report)
        snapshot.secrets = secrets.objects(from: caches.secrets, undecodable: report)
        snapshot.namespaces = namespaces.objects(from: caches.namespaces, undecodable: report)
        snapshot.ingresses = ingresses.objects(from: caches.ingresses, undecodable: report)
        snapshot.ingressClasses = ingressClasses.objects(from: caches.ingressClasses, undecodable: report)
        snapshot.gatewayConfigs = gatewayConfigs.objects(from: caches.gatewayConfigs, undecodable: report)
        snapshot.meshTLSPolicies = meshTLSPolicies.objects(from: caches.meshTLSPolicies, undecodable: report)
        for crd in caches.crds.cache.list() where crd[path: ["spec", "group"]]?.stringValue == WatchedKind.gatewayAPIGroup {
            guard let name = crd.metaName else { continue }
            snapshot.installedCRDBundleVersions[name] = .some(
                crd[path: ["metadata", "annotations", "gateway.networking.k8s.io/bundle-version"]]?.stringValue)
        }
        let reports = registry.snapshot()
        for (key, addresses) in Self.dataPlaneAddresses(snapshot.services) {
            snapshot.dataPlanes[key] = DataPlaneState(addresses: addresses, proxies: reports[key] ?? [],
                                                      reportsPending: reports[key] == nil && registry.awaitingReconnect(key))
        }
        for (key, proxies) in reports where snapshot.dataPlanes[key] == nil {
            snapshot.dataPlanes[key] = DataPlaneState(proxies: proxies)
        }
        return snapshot
    }

    /// Where clients reach each data plane: its Service's load-balancer addresses, or its
    /// cluster IP when the Service is not a LoadBalancer.
    static func dataPlaneAddresses(_ services: [Service]) -> [ProxyKey: [GatewayAPI.Gateway.Address]] {
        var result: [ProxyKey: [GatewayAPI.Gateway.Address]] = [:]
        for service in services where service.metadata.label(InfrastructureManifests.managedByLabel) == InfrastructureManifests.managedByValue {
            guard let keyText = service.metadata.annotation(InfrastructureManifests.proxyKeyAnnotation),
                  let key = ProxyKey(parsing: keyText) else { continue }
            var addresses: [GatewayAPI.Gateway.Address] = []
            if (service.spec.type ?? "ClusterIP") == "LoadBalancer" {
                for ingress in service.status?.loadBalancer?.ingress ?? [] {
                    if let ip = ingress.ip { addresses.append(.init(type: "IPAddress", value: ip)) }
                    else if let hostname = ingress.hostname { addresses.append(.init(type: "Hostname", value: hostname)) }
                }
            } else if let ip = service.spec.clusterIP, !ip.isEmpty, ip != "None" {
                addresses.append(.init(type: "IPAddress", value: ip))
            }
            result[key] = addresses
        }
        return result
    }
}
