import KubeModel

extension GatewayAPI {
    /// `HTTPRoute`: HTTP requests matched by host, path, headers, query and method, filtered and
    /// sent to weighted backends.
    public struct HTTPRoute: KubeObject {
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
            public var useDefaultGateways: String?

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
            public var backendRefs: [BackendRefWithFilters]?
            public var timeouts: Timeouts?
            public var retry: Retry?
            public var sessionPersistence: JSONValue?

            public init(name: String? = nil, matches: [Match]? = nil, filters: [Filter]? = nil,
                        backendRefs: [BackendRefWithFilters]? = nil, timeouts: Timeouts? = nil, retry: Retry? = nil) {
                self.name = name
                self.matches = matches
                self.filters = filters
                self.backendRefs = backendRefs
                self.timeouts = timeouts
                self.retry = retry
            }
        }

        public struct Match: Codable, Hashable, Sendable {
            public var path: PathMatch?
            public var headers: [StringMatch]?
            public var queryParams: [StringMatch]?
            public var method: String?

            public init(path: PathMatch? = nil, headers: [StringMatch]? = nil, queryParams: [StringMatch]? = nil, method: String? = nil) {
                self.path = path
                self.headers = headers
                self.queryParams = queryParams
                self.method = method
            }
        }

        public struct PathMatch: Codable, Hashable, Sendable {
            /// `Exact`, `PathPrefix` (the default) or `RegularExpression`.
            public var type: String?
            /// Defaults to `/`.
            public var value: String?

            public init(type: String? = nil, value: String? = nil) {
                self.type = type
                self.value = value
            }
        }

        public struct Timeouts: Codable, Hashable, Sendable {
            public var request: String?
            public var backendRequest: String?

            public init(request: String? = nil, backendRequest: String? = nil) {
                self.request = request
                self.backendRequest = backendRequest
            }
        }

        public struct Retry: Codable, Hashable, Sendable {
            public var codes: [Int]?
            public var attempts: Int?
            public var backoff: String?

            public init(codes: [Int]? = nil, attempts: Int? = nil, backoff: String? = nil) {
                self.codes = codes
                self.attempts = attempts
                self.backoff = backoff
            }
        }

        /// `HTTPBackendRef`: a backend and the filters applied when it is chosen.
        public struct BackendRefWithFilters: Codable, Hashable, Sendable {
            public var group: String?
            public var kind: String?
            public var name: String
            public var namespace: String?
            public var port: Int32?
            public var weight: Int32?
            public var filters: [Filter]?

            public init(_ ref: BackendRef, filters: [Filter]? = nil) {
                group = ref.group
                kind = ref.kind
                name = ref.name
                namespace = ref.namespace
                port = ref.port
                weight = ref.weight
                self.filters = filters
            }

            public var ref: BackendRef {
                BackendRef(group: group, kind: kind, name: name, namespace: namespace, port: port, weight: weight)
            }
        }
    }

    /// `HTTPHeaderMatch` / `HTTPQueryParamMatch` / `GRPCHeaderMatch`.
    public struct StringMatch: Codable, Hashable, Sendable {
        /// `Exact` (the default) or `RegularExpression`.
        public var type: String?
        public var name: String
        public var value: String

        public init(type: String? = nil, name: String, value: String) {
            self.type = type
            self.name = name
            self.value = value
        }
    }

    /// `RouteStatus`: one entry per parent a controller has looked at.
    public struct RouteStatus: Codable, Hashable, Sendable {
        public var parents: [RouteParentStatus]

        public init(parents: [RouteParentStatus] = []) { self.parents = parents }

        enum CodingKeys: String, CodingKey { case parents }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            parents = try c.decodeIfPresent([RouteParentStatus].self, forKey: .parents) ?? []
        }
    }

    public struct RouteParentStatus: Codable, Hashable, Sendable {
        public var parentRef: ParentReference
        public var controllerName: String
        public var conditions: [Condition]

        public init(parentRef: ParentReference, controllerName: String, conditions: [Condition]) {
            self.parentRef = parentRef
            self.controllerName = controllerName
            self.conditions = conditions
        }

        enum CodingKeys: String, CodingKey { case parentRef, controllerName, conditions }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            parentRef = try c.decode(ParentReference.self, forKey: .parentRef)
            controllerName = try c.decode(String.self, forKey: .controllerName)
            conditions = try c.decodeIfPresent([Condition].self, forKey: .conditions) ?? []
        }
    }
}
