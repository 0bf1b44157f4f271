/// discovery/v1 `EndpointSlice`: the addresses behind a Service, with readiness.
public struct EndpointSlice: KubeObject {
    /// The label that names the Service a slice belongs to.
    public static let serviceNameLabel = "kubernetes.io/service-name"

    public var metadata: ObjectMeta
    /// `IPv4`, `IPv6` or `FQDN`.
    public var addressType: String
    public var endpoints: [Endpoint]?
    public var ports: [Port]?

    public init(metadata: ObjectMeta, addressType: String = "IPv4", endpoints: [Endpoint]? = nil, ports: [Port]? = nil) {
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    public var serviceName: String? { metadata.label(Self.serviceNameLabel) }

    public struct Endpoint: Codable, Hashable, Sendable {
        public var addresses: [String]
        public var conditions: Conditions?
        public var nodeName: String?
        public var zone: String?
        public var targetRef: TargetRef?

        public init(addresses: [String], conditions: Conditions? = nil, targetRef: TargetRef? = nil) {
            self.addresses = addresses
            self.conditions = conditions
            self.targetRef = targetRef
        }

        /// Ready unless the slice says otherwise (an absent `ready` means ready, per the API).
        public var isReady: Bool { conditions?.ready ?? true }
    }

    public struct Conditions: Codable, Hashable, Sendable {
        public var ready: Bool?
        public var serving: Bool?
        public var terminating: Bool?

        public init(ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil) {
            self.ready = ready
            self.serving = serving
            self.terminating = terminating
        }
    }

    public struct TargetRef: Codable, Hashable, Sendable {
        public var kind: String?
        public var name: String?
        public var namespace: String?
        public init(kind: String? = nil, name: String? = nil, namespace: String? = nil) {
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }
    }

    public struct Port: Codable, Hashable, Sendable {
        public var name: String?
        public var port: Int32?
        public var `protocol`: String?
        public var appProtocol: String?

        public init(name: String? = nil, port: Int32?, protocol: String? = nil, appProtocol: String? = nil) {
            self.name = name
            self.port = port
            self.protocol = `protocol`
            self.appProtocol = appProtocol
        }
    }
}
