extension GatewayAPI {
    /// `ReferenceGrant`: lets objects of the `from` kinds in other namespaces refer to the `to`
    /// objects of this namespace.
    public struct ReferenceGrant: KubeObject {
        public var metadata: ObjectMeta
        public var spec: Spec

        public init(metadata: ObjectMeta, spec: Spec) {
            self.metadata = metadata
            self.spec = spec
        }

        public struct Spec: Codable, Hashable, Sendable {
            public var from: [From]
            public var to: [To]

            public init(from: [From], to: [To]) {
                self.from = from
                self.to = to
            }
        }

        public struct From: Codable, Hashable, Sendable {
            public var group: String
            public var kind: String
            public var namespace: String

            public init(group: String, kind: String, namespace: String) {
                self.group = group
                self.kind = kind
                self.namespace = namespace
            }
        }

        public struct To: Codable, Hashable, Sendable {
            public var group: String
            public var kind: String
            public var name: String?

            public init(group: String, kind: String, name: String? = nil) {
                self.group = group
                self.kind = kind
                self.name = name
            }
        }
    }
}
