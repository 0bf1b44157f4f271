/// What a sidecar proxy (`causeway proxy --mode sidecar`) serves besides its listeners: the
/// capture ports that iptables redirects the pod's traffic to, the mesh's Services by cluster IP
/// and port, and who may reach the pod's own ports.
///
/// Outbound, a connection's original destination (`SO_ORIGINAL_DST`) picks a `MeshServicePort`:
/// HTTP goes through the virtual `Listener` it names (routes, retries, timeouts, mTLS backends),
/// anything else is relayed as opaque TCP over mTLS to one of its backend's endpoints. A
/// destination that is not a mesh Service passes through unchanged.
public struct SidecarConfig: Codable, Hashable, Sendable {
    /// Where iptables redirects the pod's outbound TCP.
    public var outboundPort: Int
    /// Where iptables redirects inbound TCP for the pod's ports.
    public var inboundPort: Int
    public var services: [MeshServicePort]
    public var inbound: InboundPolicy

    public static let defaultOutboundPort = 15001
    public static let defaultInboundPort = 15006

    public init(outboundPort: Int = SidecarConfig.defaultOutboundPort, inboundPort: Int = SidecarConfig.defaultInboundPort,
                services: [MeshServicePort] = [], inbound: InboundPolicy = InboundPolicy()) {
        self.outboundPort = outboundPort
        self.inboundPort = inboundPort
        self.services = services
        self.inbound = inbound
    }

    enum CodingKeys: String, CodingKey { case outboundPort, inboundPort, services, inbound }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outboundPort = try c.decode(Int.self, forKey: .outboundPort, default: Self.defaultOutboundPort)
        inboundPort = try c.decode(Int.self, forKey: .inboundPort, default: Self.defaultInboundPort)
        services = try c.decode([MeshServicePort].self, forKey: .services, default: [])
        inbound = try c.decode(InboundPolicy.self, forKey: .inbound, default: InboundPolicy())
    }
}

/// One port of a mesh Service, as clients address it (cluster IPs and the Service port).
public struct MeshServicePort: Codable, Hashable, Sendable {
    /// `namespace/name` of the Service, for logs and metrics.
    public var service: String
    /// Its cluster IPs (one per IP family).
    public var addresses: [String]
    public var port: Int
    public var `protocol`: MeshAppProtocol
    /// The virtual listener (`bind: false`) whose routes serve this port's HTTP requests.
    public var listener: String
    /// The Backend that opaque TCP to this port is relayed to.
    public var backend: String

    public init(service: String, addresses: [String], port: Int, protocol: MeshAppProtocol = .detect, listener: String, backend: String) {
        self.service = service
        self.addresses = addresses
        self.port = port
        self.protocol = `protocol`
        self.listener = listener
        self.backend = backend
    }
}

/// What the Service port says its clients speak (its `appProtocol`, or a `tcp-`/`http-` name prefix).
public enum MeshAppProtocol: String, Codable, Hashable, Sendable {
    /// Look at the first bytes: HTTP/1 or HTTP/2 is routed, anything else relayed as TCP.
    case detect
    /// HTTP/1 or HTTP/2 (prior knowledge): always routed.
    case http
    /// Opaque TCP, relayed at once: server-first protocols (MySQL, SMTP) send nothing to detect.
    case tcp
}

/// Gateway-independent mTLS mode of a workload's inbound traffic.
public enum MeshTLSMode: String, Codable, Hashable, Sendable {
    /// Only mutual TLS from a workload of the mesh; plaintext connections are closed.
    case strict = "STRICT"
    /// Mutual TLS and plaintext (from clients outside the mesh) are both accepted.
    case permissive = "PERMISSIVE"
}

/// The inbound mTLS mode of the namespace, and of the workloads that a policy's selector picks.
public struct InboundPolicy: Codable, Hashable, Sendable {
    /// The namespace's mode; applies to workloads no `workloads` entry selects.
    public var mode: MeshTLSMode
    /// Selector-scoped modes, most specific first; the first that selects the pod's labels wins.
    public var workloads: [WorkloadTLSMode]

    public init(mode: MeshTLSMode = .permissive, workloads: [WorkloadTLSMode] = []) {
        self.mode = mode
        self.workloads = workloads
    }

    enum CodingKeys: String, CodingKey { case mode, workloads }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mode = try c.decode(MeshTLSMode.self, forKey: .mode, default: .permissive)
        workloads = try c.decode([WorkloadTLSMode].self, forKey: .workloads, default: [])
    }

    /// The mode for a pod with these labels.
    public func mode(forLabels labels: [String: String]) -> MeshTLSMode {
        for workload in workloads where workload.matchLabels.allSatisfy({ labels[$0.key] == $0.value }) {
            return workload.mode
        }
        return mode
    }
}

/// A mode for the pods whose labels include all of `matchLabels`.
public struct WorkloadTLSMode: Codable, Hashable, Sendable {
    /// The policy it came from (`namespace/name`), for logs.
    public var policy: String
    public var matchLabels: [String: String]
    public var mode: MeshTLSMode

    public init(policy: String, matchLabels: [String: String], mode: MeshTLSMode) {
        self.policy = policy
        self.matchLabels = matchLabels
        self.mode = mode
    }
}
