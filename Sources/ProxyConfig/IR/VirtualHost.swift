/// The routes one Gateway listener contributes to a bound port.
///
/// `hostname` is the Gateway listener's hostname (exact or `*.`-wildcard, `nil` for any); each
/// route's effective hostnames are the intersection of its own with this one (see
/// `Hostname.intersection(listener:route:)`), so the translator can pass routes as written.
public struct VirtualHost: Codable, Hashable, Sendable {
    /// A stable name for logs and metrics, e.g. the Gateway listener name.
    public var name: String
    public var hostname: String?
    public var routes: [HTTPRoute]

    public init(name: String, hostname: String? = nil, routes: [HTTPRoute] = []) {
        self.name = name
        self.hostname = hostname
        self.routes = routes
    }

    enum CodingKeys: String, CodingKey { case name, hostname, routes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        routes = try c.decode([HTTPRoute].self, forKey: .routes, default: [])
    }
}
