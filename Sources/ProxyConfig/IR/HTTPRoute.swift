/// An HTTPRoute as the proxy needs it: identity (for precedence tie-breaks and metrics),
/// hostnames and rules.
public struct HTTPRoute: Codable, Hashable, Sendable {
    public var namespace: String
    public var name: String
    /// `metadata.creationTimestamp` in RFC 3339 (`"2024-05-01T12:00:00Z"`); older routes win ties.
    /// `nil` sorts after every timestamp.
    public var creationTimestamp: String?
    /// The route's `spec.hostnames` (exact or `*.`-wildcard); empty matches any host the listener serves.
    public var hostnames: [String]
    public var rules: [HTTPRouteRule]

    public init(
        namespace: String, name: String, creationTimestamp: String? = nil, hostnames: [String] = [],
        rules: [HTTPRouteRule] = []
    ) {
        self.namespace = namespace
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.hostnames = hostnames
        self.rules = rules
    }

    /// `namespace/name`, the key of the alphabetical tie-break and the label in metrics.
    public var qualifiedName: String { "\(namespace)/\(name)" }

    enum CodingKeys: String, CodingKey { case namespace, name, creationTimestamp, hostnames, rules }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try c.decode(String.self, forKey: .namespace, default: "default")
        name = try c.decode(String.self, forKey: .name)
        creationTimestamp = try c.decodeIfPresent(String.self, forKey: .creationTimestamp)
        hostnames = try c.decode([String].self, forKey: .hostnames, default: [])
        rules = try c.decode([HTTPRouteRule].self, forKey: .rules, default: [])
    }
}

/// One `spec.rules[]` entry: matches (any one suffices), filters, weighted backends, timeouts.
public struct HTTPRouteRule: Codable, Hashable, Sendable {
    /// The optional rule name (Gateway API `sectionName` target), for metrics.
    public var name: String?
    /// Empty means the Gateway API default: one match of `PathPrefix "/"`.
    public var matches: [HTTPRouteMatch]
    public var filters: [HTTPRouteFilter]
    public var backendRefs: [HTTPBackendRef]
    public var timeouts: HTTPRouteTimeouts?
    /// Request body limit in bytes for this rule, overriding the listener's; 413 beyond it.
    public var maxRequestBodyBytes: Int?
    public var retry: HTTPRouteRetry?

    public init(
        name: String? = nil, matches: [HTTPRouteMatch] = [], filters: [HTTPRouteFilter] = [],
        backendRefs: [HTTPBackendRef] = [], timeouts: HTTPRouteTimeouts? = nil, maxRequestBodyBytes: Int? = nil,
        retry: HTTPRouteRetry? = nil
    ) {
        self.retry = retry
        self.name = name
        self.matches = matches
        self.filters = filters
        self.backendRefs = backendRefs
        self.timeouts = timeouts
        self.maxRequestBodyBytes = maxRequestBodyBytes
    }

    /// The matches with the Gateway API default applied.
    public var effectiveMatches: [HTTPRouteMatch] { matches.isEmpty ? [HTTPRouteMatch()] : matches }

    enum CodingKeys: String, CodingKey { case name, matches, filters, backendRefs, timeouts, maxRequestBodyBytes, retry }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        matches = try c.decode([HTTPRouteMatch].self, forKey: .matches, default: [])
        filters = try c.decode([HTTPRouteFilter].self, forKey: .filters, default: [])
        backendRefs = try c.decode([HTTPBackendRef].self, forKey: .backendRefs, default: [])
        timeouts = try c.decodeIfPresent(HTTPRouteTimeouts.self, forKey: .timeouts)
        maxRequestBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxRequestBodyBytes)
        retry = try c.decodeIfPresent(HTTPRouteRetry.self, forKey: .retry)
    }
}

/// Gateway API `HTTPRouteRetry` (GEP-1731): a request that failed before any response byte went
/// to the client is sent again, to an endpoint picked anew. An attempt fails when the backend
/// answers with one of `codes`, when the connection fails, or when `timeouts.backendRequest`
/// (which then bounds each attempt) passes. Requests with a body are not retried: the proxy
/// streams bodies and keeps no copy to send again.
public struct HTTPRouteRetry: Codable, Hashable, Sendable {
    /// Response statuses that count as a failed attempt.
    public var codes: [Int]
    /// Retries after the first attempt.
    public var attempts: Int
    /// Wait before each retry.
    public var backoff: GatewayDuration?

    public init(codes: [Int] = [], attempts: Int, backoff: GatewayDuration? = nil) {
        self.codes = codes
        self.attempts = attempts
        self.backoff = backoff
    }

    enum CodingKeys: String, CodingKey { case codes, attempts, backoff }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        codes = try c.decode([Int].self, forKey: .codes, default: [])
        attempts = try c.decode(Int.self, forKey: .attempts, default: 1)
        backoff = try c.decodeIfPresent(GatewayDuration.self, forKey: .backoff)
    }
}

/// Gateway API `HTTPRouteTimeouts` (GEP-1742). `"0s"` disables a timeout.
public struct HTTPRouteTimeouts: Codable, Hashable, Sendable {
    /// From the first byte of the request to the last byte of the response sent to the client.
    public var request: GatewayDuration?
    /// One attempt to the backend, from sending the request to the end of its response; at most `request`.
    public var backendRequest: GatewayDuration?

    public init(request: GatewayDuration? = nil, backendRequest: GatewayDuration? = nil) {
        self.request = request
        self.backendRequest = backendRequest
    }
}
