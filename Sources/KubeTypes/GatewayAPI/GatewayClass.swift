extension GatewayAPI {
    /// `GatewayClass` (cluster-scoped): which controller implements the Gateways of this class.
    public struct GatewayClass: KubeObject {
        public var metadata: ObjectMeta
        public var spec: Spec
        public var status: Status?

        public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }

        public struct Spec: Codable, Hashable, Sendable {
            public var controllerName: String
            public var parametersRef: ParametersReference?
            public var description: String?

            public init(controllerName: String, parametersRef: ParametersReference? = nil, description: String? = nil) {
                self.controllerName = controllerName
                self.parametersRef = parametersRef
                self.description = description
            }
        }

        public struct Status: Codable, Hashable, Sendable {
            public var conditions: [Condition]?
            public var supportedFeatures: [SupportedFeature]?

            public init(conditions: [Condition]? = nil, supportedFeatures: [SupportedFeature]? = nil) {
                self.conditions = conditions
                self.supportedFeatures = supportedFeatures
            }
        }
    }

    /// One entry of `GatewayClass.status.supportedFeatures`.
    public struct SupportedFeature: Codable, Hashable, Sendable, Comparable {
        public var name: String
        public init(name: String) { self.name = name }
        public static func < (a: SupportedFeature, b: SupportedFeature) -> Bool { a.name < b.name }
    }
}
