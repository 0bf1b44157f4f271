@testable import ProxyConfig

/// Small builders so test tables read like the routes they describe.
enum Fixtures {
    static let backends = [
        Backend(name: "b", endpoints: [Endpoint(host: "10.0.0.1", port: 8080)]),
        Backend(name: "c", endpoints: [Endpoint(host: "10.0.0.2", port: 8080)]),
        Backend(name: "mirror", endpoints: [Endpoint(host: "10.0.0.3", port: 8080)]),
    ]

    static func route(
        _ qualifiedName: String, created: String? = nil, hostnames: [String] = [], rules: [HTTPRouteRule]
    ) -> HTTPRoute {
        let parts = qualifiedName.split(separator: "/").map(String.init)
        let (namespace, name) = parts.count == 2 ? (parts[0], parts[1]) : ("default", qualifiedName)
        return HTTPRoute(namespace: namespace, name: name, creationTimestamp: created, hostnames: hostnames, rules: rules)
    }

    static func rule(_ matches: HTTPRouteMatch..., filters: [HTTPRouteFilter] = [], backend: String = "b") -> HTTPRouteRule {
        HTTPRouteRule(matches: matches, filters: filters, backendRefs: [HTTPBackendRef(backend: backend)])
    }

    static func config(virtualHosts: [VirtualHost], port: Int = 80) -> ProxyConfig {
        ProxyConfig(
            version: "v1",
            listeners: [Listener(name: "http", port: port, virtualHosts: virtualHosts)],
            backends: backends)
    }

    static func table(_ routes: [HTTPRoute], listenerHostname: String? = nil) throws -> CompiledRouteTable {
        try table(virtualHosts: [VirtualHost(name: "vh", hostname: listenerHostname, routes: routes)])
    }

    static func table(virtualHosts: [VirtualHost]) throws -> CompiledRouteTable {
        try config(virtualHosts: virtualHosts).compile().listeners[0].routeTable
    }
}

extension CompiledRouteTable {
    /// Routes a request given as `METHOD host target` with headers, returning `namespace/name#rule`.
    func winner(
        _ method: String = "GET", host: String = "example.com", _ target: String, headers: HeaderList = []
    ) -> String? {
        match(host: host, method: method, target: target, headers: headers).map {
            "\($0.route.qualifiedName)#\($0.rule.ruleIndex)"
        }
    }

    /// A `GET` for `example.com` with no headers.
    func winner(_ target: String) -> String? { winner("GET", host: "example.com", target, headers: []) }
}
