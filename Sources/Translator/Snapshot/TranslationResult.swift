import KubeTypes
import ProxyConfig

/// What the translator decided: a configuration per data plane, the status each resource
/// should carry, and the infrastructure each data plane needs.
public struct TranslationResult: Sendable, Equatable {
    public var proxyConfigs: [ProxyKey: ProxyConfig] = [:]
    /// By GatewayClass name; only classes whose controllerName is ours.
    public var gatewayClassStatuses: [String: GatewayAPI.GatewayClass.Status] = [:]
    /// By `namespace/name`; only Gateways of our classes.
    public var gatewayStatuses: [String: GatewayAPI.GatewayStatus] = [:]
    /// By `namespace/name`, for every HTTPRoute: the parent entries this controller owns (empty
    /// when none; the status writer then removes entries of ours that are no longer true).
    public var httpRouteParents: [String: [GatewayAPI.RouteParentStatus]] = [:]
    public var grpcRouteParents: [String: [GatewayAPI.RouteParentStatus]] = [:]
    /// By `namespace/name`: the load-balancer status of every Ingress of our classes.
    public var ingressStatuses: [String: LoadBalancerStatus] = [:]
    /// By Ingress `namespace/name`: what Causeway could not honour (Ingress has no conditions;
    /// the controller reports these as Warning Events).
    public var ingressWarnings: [String: [String]] = [:]
    /// By `namespace/name`: the conditions of every MeshTLSPolicy.
    public var meshTLSPolicyStatuses: [String: [Condition]] = [:]
    /// The Deployments and Services to run, one per data plane.
    public var infrastructure: [ProxyKey: InfrastructurePlan] = [:]

    public init() {}
}

/// What a data plane's pods and Service must look like; `InfrastructureManifests` turns it into
/// the objects the controller applies.
public struct InfrastructurePlan: Sendable, Hashable {
    public var key: ProxyKey
    /// Namespace of the Deployment, Service and ServiceAccount.
    public var namespace: String
    /// Base name of the generated objects.
    public var name: String
    /// The object that owns them (Gateway or IngressClass), for owner references.
    public var owner: OwnerReference
    public var gatewayClassName: String?
    /// Ports the Service exposes and the proxy binds, sorted.
    public var ports: [Int32]
    public var config: GatewayConfig.Spec
    /// Labels and annotations propagated from `Gateway.spec.infrastructure`.
    public var labels: [String: String]
    public var annotations: [String: String]
    /// `loadBalancerIP` requested through `Gateway.spec.addresses`.
    public var requestedAddress: String?

    public init(key: ProxyKey, namespace: String, name: String, owner: OwnerReference, gatewayClassName: String?,
                ports: [Int32], config: GatewayConfig.Spec, labels: [String: String] = [:],
                annotations: [String: String] = [:], requestedAddress: String? = nil) {
        self.key = key
        self.namespace = namespace
        self.name = name
        self.owner = owner
        self.gatewayClassName = gatewayClassName
        self.ports = ports
        self.config = config
        self.labels = labels
        self.annotations = annotations
        self.requestedAddress = requestedAddress
    }
}
