/// networking/v1 `IngressClass`: which controller serves the Ingresses that name it.
public struct IngressClass: KubeObject {
    /// Marks the class used by Ingresses that name none.
    public static let defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"

    public var metadata: ObjectMeta
    public var spec: Spec

    public init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    public struct Spec: Codable, Hashable, Sendable {
        public var controller: String?
        public var parameters: Parameters?
        public init(controller: String? = nil, parameters: Parameters? = nil) {
            self.controller = controller
            self.parameters = parameters
        }
    }

    /// `IngressClassParametersReference`.
    public struct Parameters: Codable, Hashable, Sendable {
        public var apiGroup: String?
        public var kind: String
        public var name: String
        public var namespace: String?
        public var scope: String?
        public init(apiGroup: String? = nil, kind: String, name: String, namespace: String? = nil, scope: String? = nil) {
            self.apiGroup = apiGroup
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.scope = scope
        }
    }

    public var isDefault: Bool { metadata.annotation(Self.defaultClassAnnotation) == "true" }
}
