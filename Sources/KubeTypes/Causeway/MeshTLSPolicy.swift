/// `causeway.dev/v1alpha1 MeshTLSPolicy`: whether the sidecars of a namespace (or of the
/// workloads its selector picks) accept plaintext besides mutual TLS.
public struct MeshTLSPolicy: KubeObject {
    public static let group = "causeway.dev"
    public static let kind = "MeshTLSPolicy"
    public static let resource = "meshtlspolicies"

    public var metadata: ObjectMeta
    public var spec: Spec
    public var status: Status?

    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public struct Spec: Codable, Hashable, Sendable {
        /// Pods whose labels include all of these; absent: every pod of the namespace.
        public var selector: Selector?
        /// `STRICT` or `PERMISSIVE`.
        public var mode: String

        public init(selector: Selector? = nil, mode: String) {
            self.selector = selector
            self.mode = mode
        }
    }

    public struct Selector: Codable, Hashable, Sendable {
        public var matchLabels: [String: String]?
        public init(matchLabels: [String: String]? = nil) { self.matchLabels = matchLabels }
    }

    public struct Status: Codable, Hashable, Sendable {
        public var conditions: [Condition]?
        public init(conditions: [Condition]? = nil) { self.conditions = conditions }
    }
}
