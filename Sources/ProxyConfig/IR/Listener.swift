/// A socket the proxy binds: one address and port, HTTP or HTTPS, and the virtual hosts served there.
///
/// Several Gateway listeners that share a port (e.g. one per hostname) become one `Listener` with one
/// `VirtualHost` each; precedence is then computed across all of them (see `CompiledRouteTable`).
public struct Listener: Codable, Hashable, Sendable {
    /// A stable name for logs and metrics, e.g. `"default/gateway/http"`.
    public var name: String
    /// The address to bind; `"0.0.0.0"` (all IPv4) by default, `"::"` for all IPv6.
    public var address: String
    public var port: Int
    public var `protocol`: ListenerProtocol
    /// Required when `protocol` is `HTTPS`, forbidden otherwise.
    public var tls: TLSConfig?
    /// A mesh listener (mutual TLS with workload certificates); `protocol` stays `HTTP`, since
    /// the certificates come from the mesh CA, not from the config.
    public var mtls: MeshListenerTLS?
    public var limits: ListenerLimits
    public var virtualHosts: [VirtualHost]
    /// False for a sidecar's virtual listener: no socket is bound; connections captured for
    /// `address:port` (a Service's cluster IP and port) are served by it.
    public var bind: Bool

    public init(
        name: String, address: String = "0.0.0.0", port: Int, protocol: ListenerProtocol = .http,
        tls: TLSConfig? = nil, mtls: MeshListenerTLS? = nil, limits: ListenerLimits = ListenerLimits(), virtualHosts: [VirtualHost] = [],
        bind: Bool = true
    ) {
        self.bind = bind
        self.mtls = mtls
        self.name = name
        self.address = address
        self.port = port
        self.protocol = `protocol`
        self.tls = tls
        self.limits = limits
        self.virtualHosts = virtualHosts
    }

    enum CodingKeys: String, CodingKey { case name, address, port, `protocol`, tls, mtls, limits, virtualHosts, bind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        address = try c.decode(String.self, forKey: .address, default: "0.0.0.0")
        port = try c.decode(Int.self, forKey: .port)
        `protocol` = try c.decode(ListenerProtocol.self, forKey: .protocol, default: .http)
        tls = try c.decodeIfPresent(TLSConfig.self, forKey: .tls)
        mtls = try c.decodeIfPresent(MeshListenerTLS.self, forKey: .mtls)
        limits = try c.decode(ListenerLimits.self, forKey: .limits, default: ListenerLimits())
        virtualHosts = try c.decode([VirtualHost].self, forKey: .virtualHosts, default: [])
        bind = try c.decode(Bool.self, forKey: .bind, default: true)
    }

    /// `bind` is written only for virtual listeners, so gateway snapshots look as they always did.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(address, forKey: .address)
        try c.encode(port, forKey: .port)
        try c.encode(`protocol`, forKey: .protocol)
        try c.encodeIfPresent(tls, forKey: .tls)
        try c.encodeIfPresent(mtls, forKey: .mtls)
        try c.encode(limits, forKey: .limits)
        try c.encode(virtualHosts, forKey: .virtualHosts)
        if !bind { try c.encode(bind, forKey: .bind) }
    }
}

/// The Gateway API `ProtocolType` values this proxy serves.
public enum ListenerProtocol: String, Codable, Hashable, Sendable {
    case http = "HTTP"
    case https = "HTTPS"

    /// The URL scheme requests on such a listener arrive with.
    public var scheme: String { self == .http ? "http" : "https" }
}

/// What a listener accepts from a client before it gives up on the request or connection.
public struct ListenerLimits: Codable, Hashable, Sendable {
    /// Total bytes of the request line and headers (HTTP/1) or header block (HTTP/2); beyond it, 431.
    public var maxRequestHeaderBytes: Int
    /// Number of request header fields; beyond it, 431.
    public var maxRequestHeaderCount: Int
    /// Request body bytes when the route sets no limit; beyond it, 413. `nil`: unlimited.
    public var maxRequestBodyBytes: Int?
    /// Time allowed from connection (or end of the previous request) to a complete header block;
    /// 408 after. `nil` (`null` in JSON; absent means the default) disables it.
    public var headerReadTimeout: GatewayDuration?
    /// A connection with no request in flight for this long is closed; `nil` (`null`) disables it.
    public var idleTimeout: GatewayDuration?
    /// `SETTINGS_MAX_CONCURRENT_STREAMS` advertised to HTTP/2 clients.
    public var http2MaxConcurrentStreams: Int

    public static let defaultMaxRequestHeaderBytes = 65_536
    public static let defaultMaxRequestHeaderCount = 100
    public static let defaultHTTP2MaxConcurrentStreams = 100

    public init(
        maxRequestHeaderBytes: Int = ListenerLimits.defaultMaxRequestHeaderBytes,
        maxRequestHeaderCount: Int = ListenerLimits.defaultMaxRequestHeaderCount,
        maxRequestBodyBytes: Int? = nil,
        headerReadTimeout: GatewayDuration? = .seconds(30),
        idleTimeout: GatewayDuration? = .seconds(300),
        http2MaxConcurrentStreams: Int = ListenerLimits.defaultHTTP2MaxConcurrentStreams
    ) {
        self.maxRequestHeaderBytes = maxRequestHeaderBytes
        self.maxRequestHeaderCount = maxRequestHeaderCount
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.http2MaxConcurrentStreams = http2MaxConcurrentStreams
    }

    enum CodingKeys: String, CodingKey {
        case maxRequestHeaderBytes, maxRequestHeaderCount, maxRequestBodyBytes, headerReadTimeout, idleTimeout
        case http2MaxConcurrentStreams
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ListenerLimits()
        maxRequestHeaderBytes = try c.decode(Int.self, forKey: .maxRequestHeaderBytes, default: d.maxRequestHeaderBytes)
        maxRequestHeaderCount = try c.decode(Int.self, forKey: .maxRequestHeaderCount, default: d.maxRequestHeaderCount)
        maxRequestBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxRequestBodyBytes)
        headerReadTimeout = try c.decodeNullable(GatewayDuration.self, forKey: .headerReadTimeout, default: d.headerReadTimeout)
        idleTimeout = try c.decodeNullable(GatewayDuration.self, forKey: .idleTimeout, default: d.idleTimeout)
        http2MaxConcurrentStreams = try c.decode(
            Int.self, forKey: .http2MaxConcurrentStreams, default: d.http2MaxConcurrentStreams)
    }

    /// Disabled timeouts are written as `null`, so they do not come back as defaults.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxRequestHeaderBytes, forKey: .maxRequestHeaderBytes)
        try c.encode(maxRequestHeaderCount, forKey: .maxRequestHeaderCount)
        try c.encodeIfPresent(maxRequestBodyBytes, forKey: .maxRequestBodyBytes)
        try c.encode(headerReadTimeout, forKey: .headerReadTimeout)
        try c.encode(idleTimeout, forKey: .idleTimeout)
        try c.encode(http2MaxConcurrentStreams, forKey: .http2MaxConcurrentStreams)
    }
}
