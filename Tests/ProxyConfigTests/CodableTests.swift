import Foundation
import Testing
@testable import ProxyConfig

@Suite struct CodableTests {
    static var rich: ProxyConfig {
        ProxyConfig(
            version: "42",
            listeners: [
                Listener(
                    name: "https", address: "::", port: 8443, protocol: .https,
                    tls: TLSConfig(certificates: [
                        TLSCertificate(hostnames: ["*.example.com"], certificateChain: .pem("-----BEGIN CERTIFICATE-----\n"),
                                       privateKey: .file("/k.pem")),
                    ]),
                    limits: ListenerLimits(maxRequestHeaderBytes: 8192, maxRequestBodyBytes: 1 << 20, headerReadTimeout: GatewayDuration("10s"),
                                           idleTimeout: nil, http2MaxConcurrentStreams: 250),
                    virtualHosts: [VirtualHost(name: "gw/https", hostname: "*.example.com", routes: [
                        HTTPRoute(namespace: "apps", name: "web", creationTimestamp: "2024-01-01T00:00:00Z", hostnames: ["a.example.com"], rules: [
                            HTTPRouteRule(
                                name: "main",
                                matches: [HTTPRouteMatch(path: .prefix("/api"), headers: [HTTPHeaderMatch(type: .regularExpression, name: "x", value: "a.*")],
                                                         queryParams: [HTTPQueryParamMatch(name: "q", value: "1")], method: .patch)],
                                filters: [
                                    .requestHeaderModifier(HTTPHeaderFilter(set: [HTTPHeader(name: "a", value: "1")], add: [HTTPHeader(name: "b", value: "2")], remove: ["c"])),
                                    .responseHeaderModifier(HTTPHeaderFilter(remove: ["server"])),
                                    .urlRewrite(HTTPURLRewriteFilter(hostname: "internal", path: .replacePrefixMatch("/v2"))),
                                    .requestMirror(HTTPRequestMirrorFilter(backend: "b", fraction: Fraction(numerator: 1, denominator: 8))),
                                ],
                                backendRefs: [HTTPBackendRef(backend: "b", weight: 3, filters: [.responseHeaderModifier(HTTPHeaderFilter(add: [HTTPHeader(name: "x", value: "y")]))]),
                                              HTTPBackendRef(backend: nil, weight: 1)],
                                timeouts: HTTPRouteTimeouts(request: GatewayDuration("1m"), backendRequest: GatewayDuration("30s")),
                                maxRequestBodyBytes: 1024),
                            HTTPRouteRule(filters: [.requestRedirect(HTTPRequestRedirectFilter(scheme: "https", hostname: "b.example.com",
                                                                                               path: .replaceFullPath("/x"), port: 443, statusCode: 301))]),
                        ]),
                    ])]),
            ],
            backends: [Backend(name: "b", protocol: .h2c, endpoints: [Endpoint(host: "10.0.0.1", port: 80, weight: 2)],
                               loadBalancing: .leastRequest, connectionPool: ConnectionPoolLimits(maxConnections: 10, maxPendingRequests: 5, maxRequestsPerConnection: 100),
                               connectTimeout: GatewayDuration("250ms"), idleTimeout: nil)])
    }

    @Test func jsonRoundTrip() throws {
        let data = try JSONEncoder().encode(Self.rich)
        #expect(try JSONDecoder().decode(ProxyConfig.self, from: data) == Self.rich)
        #expect(Self.rich.validate() == [])
    }

    @Test func disabledTimeoutsAreNullAndAbsentOnesDefault() throws {
        let json = #"{"name": "b", "idleTimeout": null}"#
        let backend = try JSONDecoder().decode(Backend.self, from: Data(json.utf8))
        #expect(backend.idleTimeout == nil)
        #expect(backend.connectTimeout == Backend(name: "b").connectTimeout)
        #expect(backend.connectTimeout != nil)
        let encoded = String(decoding: try JSONEncoder().encode(backend), as: UTF8.self)
        #expect(encoded.contains(#""idleTimeout":null"#))
    }

    @Test func keysAreCamelCaseLikeGatewayAPI() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(Self.rich), as: UTF8.self)
        for fragment in [
            "\"virtualHosts\"", "\"backendRefs\"", "\"queryParams\"", "\"type\":\"RequestHeaderModifier\"", "\"requestHeaderModifier\"",
            "\"type\":\"ReplacePrefixMatch\"", "\"replacePrefixMatch\":\"\\/v2\"", "\"statusCode\":301", "\"type\":\"URLRewrite\"", "\"urlRewrite\"",
            "\"creationTimestamp\":\"2024-01-01T00:00:00Z\"", "\"backendRequest\":\"30s\"", "\"request\":\"1m\"", "\"protocol\":\"HTTPS\"",
            "\"type\":\"RegularExpression\"", "\"method\":\"PATCH\"", "\"maxRequestHeaderBytes\":8192", "\"loadBalancing\":\"leastRequest\"",
        ] {
            #expect(text.contains(fragment), "\(fragment)")
        }
    }

    @Test func minimalJSONGetsGatewayAPIDefaults() throws {
        let json = """
            {"version": "1",
             "listeners": [{"name": "http", "port": 80, "virtualHosts": [{"name": "vh", "routes": [
                {"name": "r", "rules": [{"matches": [{"path": {"value": "/x"}}, {"headers": [{"name": "h", "value": "v"}]}],
                                          "filters": [{"type": "RequestRedirect", "requestRedirect": {}}],
                                          "backendRefs": [{"backend": "b"}]}]}]}]}],
             "backends": [{"name": "b", "endpoints": [{"host": "h", "port": 1}]}]}
            """
        let config = try JSONDecoder().decode(ProxyConfig.self, from: Data(json.utf8))
        let listener = config.listeners[0]
        #expect(listener.address == "0.0.0.0" && listener.protocol == .http && listener.limits == ListenerLimits())
        let route = listener.virtualHosts[0].routes[0]
        #expect(route.namespace == "default")
        let rule = route.rules[0]
        #expect(rule.matches[0].path == HTTPPathMatch(type: .pathPrefix, value: "/x"))
        #expect(rule.matches[1].path == HTTPPathMatch(type: .pathPrefix, value: "/"))
        #expect(rule.matches[1].headers[0].type == .exact)
        #expect(rule.filters == [.requestRedirect(HTTPRequestRedirectFilter(statusCode: 302))])
        #expect(rule.backendRefs == [HTTPBackendRef(backend: "b", weight: 1)])
        #expect(config.backends[0] == Backend(name: "b", endpoints: [Endpoint(host: "h", port: 1)]))
        #expect(config.validate() == [])
    }

    @Test(arguments: [
        (#"{"type": "CORS"}"#, "unsupported filter type \"CORS\""),
        (#"{"type": "URLRewrite", "urlRewrite": {"path": {"type": "Strip"}}}"#, "unsupported path modifier type \"Strip\""),
    ])
    func unsupportedTypesAreClearErrors(json: String, message: String) {
        do {
            _ = try JSONDecoder().decode(HTTPRouteFilter.self, from: Data(json.utf8))
            Issue.record("decoding should fail")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.hasPrefix(message))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func badDurationIsAClearError() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(HTTPRouteTimeouts.self, from: Data(#"{"request": "10 seconds"}"#.utf8))
        }
    }

    @Test func pemSourceNeedsExactlyOneForm() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PEMSource.self, from: Data(#"{"pem": "x", "file": "y"}"#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PEMSource.self, from: Data("{}".utf8)) }
    }
}
