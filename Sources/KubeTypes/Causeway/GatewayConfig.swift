/// `causeway.dev/v1alpha1 GatewayConfig`: how the pods and Service of a Gateway's data plane are
/// run. Referenced by `GatewayClass.spec.parametersRef` (defaults for the class) and by
/// `Gateway.spec.infrastructure.parametersRef` (this Gateway; its fields win).
public struct GatewayConfig: KubeObject {
    public static let group = "causeway.dev"
    public static let kind = "GatewayConfig"

    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec = Spec()) {
        self.metadata = metadata
        self.spec = spec
    }

    public struct Spec: Codable, Hashable, Sendable {
        public var replicas: Int32?
        public var resources: Resources?
        public var service: ServiceSettings?
        public var nodeSelector: [String: String]?
        public var tolerations: [Toleration]?
        public var logLevel: String?
        public var podAnnotations: [String: String]?
        public var podLabels: [String: String]?

        public init(replicas: Int32? = nil, resources: Resources? = nil, service: ServiceSettings? = nil,
                    nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil, logLevel: String? = nil,
                    podAnnotations: [String: String]? = nil, podLabels: [String: String]? = nil) {
            self.replicas = replicas
            self.resources = resources
            self.service = service
            self.nodeSelector = nodeSelector
            self.tolerations = tolerations
            self.logLevel = logLevel
            self.podAnnotations = podAnnotations
            self.podLabels = podLabels
        }

        /// Fields set in `override` replace the ones here (a Gateway's config over its class's).
        public func overlaid(with override: Spec) -> Spec {
            Spec(
                replicas: override.replicas ?? replicas, resources: override.resources ?? resources,
                service: override.service ?? service, nodeSelector: override.nodeSelector ?? nodeSelector,
                tolerations: override.tolerations ?? tolerations, logLevel: override.logLevel ?? logLevel,
                podAnnotations: override.podAnnotations ?? podAnnotations, podLabels: override.podLabels ?? podLabels)
        }
    }

    public struct Resources: Codable, Hashable, Sendable {
        public var requests: [String: IntOrString]?
        public var limits: [String: IntOrString]?
        public init(requests: [String: IntOrString]? = nil, limits: [String: IntOrString]? = nil) {
            self.requests = requests
            self.limits = limits
        }
    }

    public struct ServiceSettings: Codable, Hashable, Sendable {
        /// `ClusterIP`, `NodePort` or `LoadBalancer` (the default).
        public var type: String?
        public var annotations: [String: String]?
        public var externalTrafficPolicy: String?
        public var loadBalancerClass: String?
        public init(type: String? = nil, annotations: [String: String]? = nil, externalTrafficPolicy: String? = nil,
                    loadBalancerClass: String? = nil) {
            self.type = type
            self.annotations = annotations
            self.externalTrafficPolicy = externalTrafficPolicy
            self.loadBalancerClass = loadBalancerClass
        }
    }

    public struct Toleration: Codable, Hashable, Sendable {
        public var key: String?
        public var `operator`: String?
        public var value: String?
        public var effect: String?
        public var tolerationSeconds: Int64?
        public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil,
                    tolerationSeconds: Int64? = nil) {
            self.key = key
            self.operator = `operator`
            self.value = value
            self.effect = effect
            self.tolerationSeconds = tolerationSeconds
        }
    }
}
