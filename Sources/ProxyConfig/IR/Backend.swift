/// Gateway API `HTTPBackendRef` resolved to a `Backend` of the snapshot.
public struct HTTPBackendRef: Codable, Hashable, Sendable {
    /// The name of a `Backend` in the snapshot; `nil` when the translator could not resolve the
    /// reference (missing Service, no ReferenceGrant...): the requests that would go here get 500.
    public var backend: String?
    /// Relative share of the rule's traffic; 0 sends none. Default 1.
    public var weight: Int
    /// Filters applied only when this backend is picked.
    public var filters: [HTTPRouteFilter]

    public init(backend: String?, weight: Int = 1, filters: [HTTPRouteFilter] = []) {
        self.backend = backend
        self.weight = weight
        self.filters = filters
    }

    enum CodingKeys: String, CodingKey { case backend, weight, filters }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        backend = try c.decodeIfPresent(String.self, forKey: .backend)
        weight = try c.decode(Int.self, forKey: .weight, default: 1)
        filters = try c.decode([HTTPRouteFilter].self, forKey: .filters, default: [])
    }
}

/// An upstream cluster: a set of endpoints and how to talk to them.
public struct Backend: Codable, Hashable, Sendable {
    /// Unique in the snapshot, e.g. `"default/echo:8080"`.
    public var name: String
    public var `protocol`: BackendProtocol
    public var endpoints: [Endpoint]
    public var loadBalancing: LoadBalancingPolicy
    public var connectionPool: ConnectionPoolLimits
    /// `nil` (`null` in JSON; absent means the default): no limit of the proxy's own.
    public var connectTimeout: GatewayDuration?
    /// An idle pooled connection is closed after this long; `nil` (`null`): never.
    public var idleTimeout: GatewayDuration?
    /// Mutual TLS with the backend's workload identity; nil: plaintext.
    public var mtls: MeshUpstreamTLS?

    public init(
        name: String, protocol: BackendProtocol = .http1, endpoints: [Endpoint] = [],
        loadBalancing: LoadBalancingPolicy = .roundRobin, connectionPool: ConnectionPoolLimits = ConnectionPoolLimits(),
        connectTimeout: GatewayDuration? = .seconds(5), idleTimeout: GatewayDuration? = .seconds(60), mtls: MeshUpstreamTLS? = nil
    ) {
        self.mtls = mtls
        self.name = name
        self.protocol = `protocol`
        self.endpoints = endpoints
        self.loadBalancing = loadBalancing
        self.connectionPool = connectionPool
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }

    enum CodingKeys: String, CodingKey {
        case name, `protocol`, endpoints, loadBalancing, connectionPool, connectTimeout, idleTimeout, mtls
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Backend(name: "")
        name = try c.decode(String.self, forKey: .name)
        `protocol` = try c.decode(BackendProtocol.self, forKey: .protocol, default: d.protocol)
        endpoints = try c.decode([Endpoint].self, forKey: .endpoints, default: [])
        loadBalancing = try c.decode(LoadBalancingPolicy.self, forKey: .loadBalancing, default: d.loadBalancing)
        connectionPool = try c.decode(ConnectionPoolLimits.self, forKey: .connectionPool, default: d.connectionPool)
        connectTimeout = try c.decodeNullable(GatewayDuration.self, forKey: .connectTimeout, default: d.connectTimeout)
        idleTimeout = try c.decodeNullable(GatewayDuration.self, forKey: .idleTimeout, default: d.idleTimeout)
        mtls = try c.decodeIfPresent(MeshUpstreamTLS.self, forKey: .mtls)
    }

    /// Disabled timeouts are written as `null`, so they do not come back as defaults.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(`protocol`, forKey: .protocol)
        try c.encode(endpoints, forKey: .endpoints)
        try c.encode(loadBalancing, forKey: .loadBalancing)
        try c.encode(connectionPool, forKey: .connectionPool)
        try c.encode(connectTimeout, forKey: .connectTimeout)
        try c.encode(idleTimeout, forKey: .idleTimeout)
        try c.encodeIfPresent(mtls, forKey: .mtls)
    }
}

/// How the proxy speaks to a backend (the Service port's `appProtocol`).
public enum BackendProtocol: String, Codable, Hashable, Sendable {
    case http1
    /// HTTP/2 with prior knowledge over cleartext (`kubernetes.io/h2c`).
    case h2c
}

public enum LoadBalancingPolicy: String, Codable, Hashable, Sendable {
    /// Weighted round robin over the endpoints.
    case roundRobin
    /// The endpoint with the fewest requests in flight (of two picked at random, weighted).
    case leastRequest
}

/// One address of a backend (an EndpointSlice endpoint and port).
public struct Endpoint: Codable, Hashable, Sendable {
    /// An IP address or DNS name.
    public var host: String
    public var port: Int
    /// Relative share among the backend's endpoints; default 1.
    public var weight: Int

    public init(host: String, port: Int, weight: Int = 1) {
        self.host = host
        self.port = port
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey { case host, port, weight }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decode(String.self, forKey: .host)
        port = try c.decode(Int.self, forKey: .port)
        weight = try c.decode(Int.self, forKey: .weight, default: 1)
    }
}

/// Per-backend limits of the upstream connection pool (per proxy, summed over event loops).
public struct ConnectionPoolLimits: Codable, Hashable, Sendable {
    public var maxConnections: Int
    /// Requests waiting for a connection; beyond it the proxy answers 503.
    public var maxPendingRequests: Int
    /// `nil`: a connection serves requests until it is idle-closed.
    public var maxRequestsPerConnection: Int?

    public init(maxConnections: Int = 1024, maxPendingRequests: Int = 1024, maxRequestsPerConnection: Int? = nil) {
        self.maxConnections = maxConnections
        self.maxPendingRequests = maxPendingRequests
        self.maxRequestsPerConnection = maxRequestsPerConnection
    }

    enum CodingKeys: String, CodingKey { case maxConnections, maxPendingRequests, maxRequestsPerConnection }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ConnectionPoolLimits()
        maxConnections = try c.decode(Int.self, forKey: .maxConnections, default: d.maxConnections)
        maxPendingRequests = try c.decode(Int.self, forKey: .maxPendingRequests, default: d.maxPendingRequests)
        maxRequestsPerConnection = try c.decodeIfPresent(Int.self, forKey: .maxRequestsPerConnection)
    }
}
