extension GatewayAPI {
    /// `ParentReference`: the Gateway (or Service, for GAMMA) a route asks to attach to.
    /// Kept exactly as written, because route status must echo it back unchanged.
    public struct ParentReference: Codable, Hashable, Sendable {
        public var group: String?
        public var kind: String?
        public var namespace: String?
        public var name: String
        public var sectionName: String?
        public var port: Int32?

        public init(group: String? = nil, kind: String? = nil, namespace: String? = nil, name: String,
                    sectionName: String? = nil, port: Int32? = nil) {
            self.group = group
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.sectionName = sectionName
            self.port = port
        }

        /// The group with the API default (`gateway.networking.k8s.io`) applied.
        public var effectiveGroup: String { group ?? GatewayAPI.group }
        /// The kind with the API default (`Gateway`) applied.
        public var effectiveKind: String { kind ?? "Gateway" }
        public var refersToGateway: Bool { effectiveGroup == GatewayAPI.group && effectiveKind == "Gateway" }
    }

    /// `BackendObjectReference` plus `weight` (`BackendRef`): a Service port by default.
    public struct BackendRef: Codable, Hashable, Sendable {
        public var group: String?
        public var kind: String?
        public var name: String
        public var namespace: String?
        public var port: Int32?
        public var weight: Int32?

        public init(group: String? = nil, kind: String? = nil, name: String, namespace: String? = nil,
                    port: Int32? = nil, weight: Int32? = nil) {
            self.group = group
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.port = port
            self.weight = weight
        }

        /// `""` (core) unless set.
        public var effectiveGroup: String { group ?? "" }
        public var effectiveKind: String { kind ?? "Service" }
    }

    /// `SecretObjectReference`: a listener certificate, a Secret by default.
    public struct SecretObjectReference: Codable, Hashable, Sendable {
        public var group: String?
        public var kind: String?
        public var name: String
        public var namespace: String?

        public init(group: String? = nil, kind: String? = nil, name: String, namespace: String? = nil) {
            self.group = group
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }

        public var effectiveGroup: String { group ?? "" }
        public var effectiveKind: String { kind ?? "Secret" }
    }

    /// `ObjectReference`: group and kind are required (CA certificate references).
    public struct ObjectReference: Codable, Hashable, Sendable {
        public var group: String
        public var kind: String
        public var name: String
        public var namespace: String?
    }

    /// `ParametersReference` of a GatewayClass (namespace set for namespaced kinds).
    public struct ParametersReference: Codable, Hashable, Sendable {
        public var group: String
        public var kind: String
        public var name: String
        public var namespace: String?

        public init(group: String, kind: String, name: String, namespace: String? = nil) {
            self.group = group
            self.kind = kind
            self.name = name
            self.namespace = namespace
        }
    }

    /// `LocalParametersReference` / `LocalObjectReference`: same namespace as the referrer.
    public struct LocalObjectReference: Codable, Hashable, Sendable {
        public var group: String
        public var kind: String
        public var name: String

        public init(group: String, kind: String, name: String) {
            self.group = group
            self.kind = kind
            self.name = name
        }
    }

    /// `RouteGroupKind`: a kind of route a listener admits; the group defaults to the Gateway API's.
    public struct RouteGroupKind: Codable, Hashable, Sendable, Comparable {
        public var group: String?
        public var kind: String

        public init(group: String? = GatewayAPI.group, kind: String) {
            self.group = group
            self.kind = kind
        }

        public var effectiveGroup: String { group ?? GatewayAPI.group }

        public static func < (a: RouteGroupKind, b: RouteGroupKind) -> Bool {
            (a.effectiveGroup, a.kind) < (b.effectiveGroup, b.kind)
        }
    }
}
