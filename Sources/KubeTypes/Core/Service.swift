/// core/v1 `Service`: the fields that decide where a backend reference goes.
public struct Service: KubeObject {
    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public struct Spec: Codable, Hashable, Sendable {
        public var type: String?
        public var clusterIP: String?
        /// One cluster IP per IP family (dual-stack); `clusterIP` is the first.
        public var clusterIPs: [String]?
        public var ports: [Port]?
        public var selector: [String: String]?
        public var externalName: String?

        public init(type: String? = nil, clusterIP: String? = nil, ports: [Port]? = nil, selector: [String: String]? = nil,
                    externalName: String? = nil) {
            self.type = type
            self.clusterIP = clusterIP
            self.ports = ports
            self.selector = selector
            self.externalName = externalName
        }
    }

    public struct Port: Codable, Hashable, Sendable {
        public var name: String?
        public var port: Int32
        public var targetPort: IntOrString?
        public var `protocol`: String?
        public var appProtocol: String?
        public var nodePort: Int32?

        public init(name: String? = nil, port: Int32, targetPort: IntOrString? = nil, protocol: String? = nil,
                    appProtocol: String? = nil) {
            self.name = name
            self.port = port
            self.targetPort = targetPort
            self.protocol = `protocol`
            self.appProtocol = appProtocol
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var loadBalancer: LoadBalancerStatus?
        public init(loadBalancer: LoadBalancerStatus? = nil) { self.loadBalancer = loadBalancer }
    }
}

/// `LoadBalancerStatus` (Service) and `IngressLoadBalancerStatus` (Ingress) share this shape.
public struct LoadBalancerStatus: Codable, Hashable, Sendable {
    public var ingress: [LoadBalancerIngress]?
    public init(ingress: [LoadBalancerIngress]? = nil) { self.ingress = ingress }
}

public struct LoadBalancerIngress: Codable, Hashable, Sendable {
    public var ip: String?
    public var hostname: String?
    public init(ip: String? = nil, hostname: String? = nil) {
        self.ip = ip
        self.hostname = hostname
    }
}
