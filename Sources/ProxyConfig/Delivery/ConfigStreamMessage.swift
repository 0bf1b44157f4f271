/// What the control plane sends a proxy on its configuration stream, one JSON object per line
/// (`application/x-ndjson`): a whole configuration, or only new endpoints for some backends, or a
/// keep-alive. State of the world: a full `config` always replaces everything the proxy had.
public enum ConfigStreamMessage: Codable, Hashable, Sendable {
    case config(ProxyConfig)
    case endpoints(EndpointUpdate)
    /// Sent when nothing else has been for a while, so both ends notice a dead connection.
    case ping

    enum CodingKeys: String, CodingKey { case type, config, endpoints }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "config": self = .config(try c.decode(ProxyConfig.self, forKey: .config))
        case "endpoints": self = .endpoints(try c.decode(EndpointUpdate.self, forKey: .endpoints))
        case "ping": self = .ping
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown message type \"\(other)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .config(let config):
            try c.encode("config", forKey: .type)
            try c.encode(config, forKey: .config)
        case .endpoints(let update):
            try c.encode("endpoints", forKey: .type)
            try c.encode(update, forKey: .endpoints)
        case .ping:
            try c.encode("ping", forKey: .type)
        }
    }
}

/// New endpoints for some backends of the configuration a proxy runs: the fast path for pod
/// churn, which never waits for routes to be translated again.
public struct EndpointUpdate: Codable, Hashable, Sendable {
    /// The version the update applies to; a proxy running another version ignores it (a full
    /// configuration follows).
    public var baseVersion: String
    /// The version of the configuration once the update is applied.
    public var version: String
    public var backends: [BackendEndpoints]

    public init(baseVersion: String, version: String, backends: [BackendEndpoints]) {
        self.baseVersion = baseVersion
        self.version = version
        self.backends = backends
    }
}

public struct BackendEndpoints: Codable, Hashable, Sendable {
    public var name: String
    public var endpoints: [Endpoint]

    public init(name: String, endpoints: [Endpoint]) {
        self.name = name
        self.endpoints = endpoints
    }
}

extension ProxyConfig {
    /// This configuration with an endpoint update applied; nil when it is based on another version.
    public func applying(_ update: EndpointUpdate) -> ProxyConfig? {
        guard update.baseVersion == version else { return nil }
        var copy = self
        let replacements = Dictionary(update.backends.map { ($0.name, $0.endpoints) }, uniquingKeysWith: { _, last in last })
        for index in copy.backends.indices {
            if let endpoints = replacements[copy.backends[index].name] { copy.backends[index].endpoints = endpoints }
        }
        copy.version = update.version
        return copy
    }
}

/// A proxy's answer to each configuration version: applied, or refused with the reason.
public struct ConfigAck: Codable, Hashable, Sendable {
    public var proxyKey: String
    public var pod: String
    public var version: String
    public var accepted: Bool
    public var error: String?

    public init(proxyKey: String, pod: String, version: String, accepted: Bool, error: String? = nil) {
        self.proxyKey = proxyKey
        self.pod = pod
        self.version = version
        self.accepted = accepted
        self.error = error
    }
}

/// The paths and media types of the configuration protocol.
public enum ConfigProtocol {
    /// `GET` with `?proxyKey=...&pod=...`: the stream of `ConfigStreamMessage`s.
    public static let streamPath = "/v1/config"
    /// `POST` a `ConfigAck`.
    public static let ackPath = "/v1/ack"
    public static let streamContentType = "application/x-ndjson"
    /// The token audience proxies present (projected service-account tokens).
    public static let tokenAudience = "causeway-control-plane"
}
