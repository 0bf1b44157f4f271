import KubeModel

/// networking/v1 `Ingress`.
public struct Ingress: KubeObject {
    /// The annotation older manifests use instead of `spec.ingressClassName`.
    public static let classAnnotation = "kubernetes.io/ingress.class"

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public struct Spec: Codable, Hashable, Sendable {
        public var ingressClassName: String?
        public var defaultBackend: Backend?
        public var tls: [TLS]?
        public var rules: [Rule]?

        public init(ingressClassName: String? = nil, defaultBackend: Backend? = nil, tls: [TLS]? = nil, rules: [Rule]? = nil) {
            self.ingressClassName = ingressClassName
            self.defaultBackend = defaultBackend
            self.tls = tls
            self.rules = rules
        }
    }

    public struct TLS: Codable, Hashable, Sendable {
        public var hosts: [String]?
        public var secretName: String?
        public init(hosts: [String]? = nil, secretName: String? = nil) {
            self.hosts = hosts
            self.secretName = secretName
        }
    }

    public struct Rule: Codable, Hashable, Sendable {
        public var host: String?
        public var http: HTTP?
        public init(host: String? = nil, http: HTTP? = nil) {
            self.host = host
            self.http = http
        }
    }

    public struct HTTP: Codable, Hashable, Sendable {
        public var paths: [Path]
        public init(paths: [Path]) { self.paths = paths }
    }

    public struct Path: Codable, Hashable, Sendable {
        public var path: String?
        /// `Exact`, `Prefix` or `ImplementationSpecific`.
        public var pathType: String
        public var backend: Backend

        public init(path: String? = nil, pathType: String, backend: Backend) {
            self.path = path
            self.pathType = pathType
            self.backend = backend
        }
    }

    public struct Backend: Codable, Hashable, Sendable {
        public var service: ServiceBackend?
        public var resource: JSONValue?

        public init(service: ServiceBackend? = nil) { self.service = service }
    }

    public struct ServiceBackend: Codable, Hashable, Sendable {
        public var name: String
        public var port: ServicePort?
        public init(name: String, port: ServicePort? = nil) {
            self.name = name
            self.port = port
        }
    }

    public struct ServicePort: Codable, Hashable, Sendable {
        public var name: String?
        public var number: Int32?
        public init(name: String? = nil, number: Int32? = nil) {
            self.name = name
            self.number = number
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var loadBalancer: LoadBalancerStatus?
        public init(loadBalancer: LoadBalancerStatus? = nil) { self.loadBalancer = loadBalancer }
    }
}
