import KubeModel

extension GatewayAPI {
    /// `Gateway`: listeners (ports, protocols, hostnames, TLS) that one data plane serves.
    public struct Gateway: KubeObject {
        public var metadata: ObjectMeta
        public var spec: Spec
        public var status: GatewayStatus?

        public init(metadata: ObjectMeta, spec: Spec, status: GatewayStatus? = nil) {
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }

        public struct Spec: Codable, Hashable, Sendable {
            public var gatewayClassName: String
            public var listeners: [Listener]
            public var addresses: [Address]?
            public var infrastructure: Infrastructure?
            public var allowedListeners: JSONValue?
            public var tls: JSONValue?
            public var defaultScope: String?

            public init(gatewayClassName: String, listeners: [Listener], addresses: [Address]? = nil,
                        infrastructure: Infrastructure? = nil) {
                self.gatewayClassName = gatewayClassName
                self.listeners = listeners
                self.addresses = addresses
                self.infrastructure = infrastructure
            }
        }

        /// `GatewaySpecAddress` / `GatewayStatusAddress`; `type` defaults to `IPAddress`.
        public struct Address: Codable, Hashable, Sendable {
            public var type: String?
            public var value: String?

            public init(type: String? = "IPAddress", value: String?) {
                self.type = type
                self.value = value
            }

            public var effectiveType: String { type ?? "IPAddress" }
        }

        public struct Infrastructure: Codable, Hashable, Sendable {
            public var labels: [String: String]?
            public var annotations: [String: String]?
            public var parametersRef: LocalObjectReference?

            public init(labels: [String: String]? = nil, annotations: [String: String]? = nil,
                        parametersRef: LocalObjectReference? = nil) {
                self.labels = labels
                self.annotations = annotations
                self.parametersRef = parametersRef
            }
        }
    }

    /// `Listener`: one port/protocol/hostname combination of a Gateway.
    public struct Listener: Codable, Hashable, Sendable {
        public var name: String
        public var hostname: String?
        public var port: Int32
        public var `protocol`: String
        public var tls: ListenerTLSConfig?
        public var allowedRoutes: AllowedRoutes?

        public init(name: String, hostname: String? = nil, port: Int32, protocol: String,
                    tls: ListenerTLSConfig? = nil, allowedRoutes: AllowedRoutes? = nil) {
            self.name = name
            self.hostname = hostname
            self.port = port
            self.protocol = `protocol`
            self.tls = tls
            self.allowedRoutes = allowedRoutes
        }
    }

    public struct ListenerTLSConfig: Codable, Hashable, Sendable {
        /// `Terminate` (the default) or `Passthrough`.
        public var mode: String?
        public var certificateRefs: [SecretObjectReference]?
        public var options: [String: String]?

        public init(mode: String? = nil, certificateRefs: [SecretObjectReference]? = nil, options: [String: String]? = nil) {
            self.mode = mode
            self.certificateRefs = certificateRefs
            self.options = options
        }

        public var effectiveMode: String { mode ?? "Terminate" }
    }

    public struct AllowedRoutes: Codable, Hashable, Sendable {
        public var namespaces: RouteNamespaces?
        public var kinds: [RouteGroupKind]?

        public init(namespaces: RouteNamespaces? = nil, kinds: [RouteGroupKind]? = nil) {
            self.namespaces = namespaces
            self.kinds = kinds
        }
    }

    public struct RouteNamespaces: Codable, Hashable, Sendable {
        /// `Same` (the default), `All`, `Selector` or `None`.
        public var from: String?
        /// A `metav1.LabelSelector` over Namespace labels, for `from: Selector`.
        public var selector: JSONValue?

        public init(from: String? = nil, selector: JSONValue? = nil) {
            self.from = from
            self.selector = selector
        }

        public var effectiveFrom: String { from ?? "Same" }
    }

    /// `GatewayStatus`.
    public struct GatewayStatus: Codable, Hashable, Sendable {
        public var addresses: [Gateway.Address]?
        public var conditions: [Condition]?
        public var listeners: [ListenerStatus]?
        public var attachedListenerSets: Int32?

        public init(addresses: [Gateway.Address]? = nil, conditions: [Condition]? = nil, listeners: [ListenerStatus]? = nil) {
            self.addresses = addresses
            self.conditions = conditions
            self.listeners = listeners
        }
    }

    public struct ListenerStatus: Codable, Hashable, Sendable {
        public var name: String
        public var supportedKinds: [RouteGroupKind]
        public var attachedRoutes: Int32
        public var conditions: [Condition]

        public init(name: String, supportedKinds: [RouteGroupKind], attachedRoutes: Int32, conditions: [Condition]) {
            self.name = name
            self.supportedKinds = supportedKinds
            self.attachedRoutes = attachedRoutes
            self.conditions = conditions
        }

        enum CodingKeys: String, CodingKey { case name, supportedKinds, attachedRoutes, conditions }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            supportedKinds = try c.decodeIfPresent([RouteGroupKind].self, forKey: .supportedKinds) ?? []
            attachedRoutes = try c.decodeIfPresent(Int32.self, forKey: .attachedRoutes) ?? 0
            conditions = try c.decodeIfPresent([Condition].self, forKey: .conditions) ?? []
        }
    }
}
