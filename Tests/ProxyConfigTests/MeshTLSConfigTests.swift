import Foundation
import Testing
@testable import ProxyConfig

@Suite struct MeshTLSConfigTests {
    @Test func meshFieldsDecodeAndOlderConfigsStillDo() throws {
        let json = #"""
        {"version":"1","listeners":[{"name":"in","port":15006,"mtls":{"allowedPrincipals":["spiffe://cluster.local/ns/a/sa/b"]}}],
         "backends":[{"name":"web","endpoints":[{"host":"10.0.0.1","port":80}],"mtls":{"identities":["spiffe://cluster.local/ns/web/sa/web"]}},
                     {"name":"plain","endpoints":[{"host":"10.0.0.2","port":80}]}]}
        """#
        let config = try JSONDecoder().decode(ProxyConfig.self, from: Data(json.utf8))
        #expect(config.listeners[0].mtls == MeshListenerTLS(allowedPrincipals: ["spiffe://cluster.local/ns/a/sa/b"]))
        #expect(config.backends[0].mtls?.identities == ["spiffe://cluster.local/ns/web/sa/web"])
        #expect(config.backends[1].mtls == nil)
        #expect(config.validate().isEmpty)
        let again = try JSONDecoder().decode(ProxyConfig.self, from: try JSONEncoder().encode(config))
        #expect(again == config)
        let empty = try JSONDecoder().decode(ProxyConfig.self, from: Data(#"{"version":"1","listeners":[{"name":"in","port":1,"mtls":{}}]}"#.utf8))
        #expect(empty.listeners[0].mtls?.allowedPrincipals == [])
    }

    @Test func aMeshListenerCannotAlsoBeHTTPSAndIdentitiesMustBeSPIFFEIDs() {
        let config = ProxyConfig(
            version: "1",
            listeners: [Listener(name: "in", port: 443, protocol: .https,
                                 tls: TLSConfig(certificates: [TLSCertificate(hostnames: [], certificateChain: .pem("x"), privateKey: .pem("y"))]),
                                 mtls: MeshListenerTLS(allowedPrincipals: ["web"]))],
            backends: [Backend(name: "b", endpoints: [Endpoint(host: "10.0.0.1", port: 80)],
                               mtls: MeshUpstreamTLS(identities: ["https://example.com"]))])
        let problems = config.validate().map { "\($0.path): \($0.message)" }
        #expect(problems.contains { $0.hasPrefix("listeners[0].mtls:") && $0.contains("must not also set tls") })
        #expect(problems.contains { $0.hasPrefix("listeners[0].mtls.allowedPrincipals[0]") })
        #expect(problems.contains { $0.hasPrefix("backends[0].mtls.identities[0]") })
    }
}
