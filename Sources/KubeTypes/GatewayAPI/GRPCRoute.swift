extension GatewayAPI {
    /// `GRPCRoute`: gRPC calls matched by service, method and headers.
    public struct GRPCRoute: KubeObject {
        public var metadata: ObjectMeta
        public var spec: Spec
        public var status: RouteStatus?

        public init(metadata: ObjectMeta, spec: Spec, status: RouteStatus? = nil) {
            self.metadata = metadata
            self.spec = spec
            self.status = status
        }

        public struct Spec: Codable, Hashable, Sendable {
            public var parentRefs: [ParentReference]?
            public var hostnames: [String]?
            public var rules: [Rule]?

            public init(parentRefs: [ParentReference]? = nil, hostnames: [String]? = nil, rules: [Rule]? = nil) {
                self.parentRefs = parentRefs
                self.hostnames = hostnames
                self.rules = rules
            }
        }

        public struct Rule: Codable, Hashable, Sendable {
            public var name: String?
            public var matches: [Match]?
            public var filters: [Filter]?
            public var backendRefs: [HTTPRoute.BackendRefWithFilters]?

            public init(name: String? = nil, matches: [Match]? = nil, filters: [Filter]? = nil,
                        backendRefs: [HTTPRoute.BackendRefWithFilters]? = nil) {
                self.name = name
                self.matches = matches
                self.filters = filters
                self.backendRefs = backendRefs
            }
        }

        public struct Match: Codable, Hashable, Sendable {
            public var method: MethodMatch?
            public var headers: [StringMatch]?

            public init(method: MethodMatch? = nil, headers: [StringMatch]? = nil) {
                self.method = method
                self.headers = headers
            }
        }

        public struct MethodMatch: Codable, Hashable, Sendable {
            /// `Exact` (the default) or `RegularExpression`.
            public var type: String?
            public var service: String?
            public var method: String?

            public init(type: String? = nil, service: String? = nil, method: String? = nil) {
                self.type = type
                self.service = service
                self.method = method
            }
        }
    }
}
