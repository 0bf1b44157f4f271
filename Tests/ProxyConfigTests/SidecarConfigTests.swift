import Foundation
import Testing
@testable import ProxyConfig

@Suite struct SidecarConfigTests {
    static func config(services: [MeshServicePort], listeners: [Listener]? = nil) -> ProxyConfig {
        ProxyConfig(
            version: "1",
            listeners: listeners ?? [
                Listener(name: "outbound/shop/web:80", address: "10.96.0.10", port: 80, bind: false),
                Listener(name: "outbound/shop/api:80", address: "10.96.0.11", port: 80, bind: false),
            ],
            backends: [Backend(name: "shop/web:80", endpoints: [Endpoint(host: "10.244.0.5", port: 8080)])],
            sidecar: SidecarConfig(services: services))
    }

    @Test func virtualListenersShareAPortAcrossClusterIPsAndDecodeWithDefaults() throws {
        let config = Self.config(services: [MeshServicePort(service: "shop/web", addresses: ["10.96.0.10"], port: 80,
                                                             listener: "outbound/shop/web:80", backend: "shop/web:80")])
        #expect(config.validate().isEmpty, "\(config.validate())")
        let again = try JSONDecoder().decode(ProxyConfig.self, from: try JSONEncoder().encode(config))
        #expect(again == config)
        let minimal = try JSONDecoder().decode(ProxyConfig.self, from: Data(#"{"version":"1","sidecar":{}}"#.utf8))
        #expect(minimal.sidecar == SidecarConfig())
        #expect(minimal.sidecar?.inbound.mode == .permissive, "a meshed namespace without a policy accepts plaintext")
    }

    @Test func servicesMustNameAVirtualListenerAndABackend() {
        let bound = Listener(name: "real", port: 8080)
        let config = Self.config(services: [
            MeshServicePort(service: "shop/web", addresses: [], port: 80, listener: "missing", backend: "nope"),
            MeshServicePort(service: "shop/api", addresses: ["10.96.0.11"], port: 80, listener: "real", backend: "shop/web:80"),
        ], listeners: [bound])
        let problems = config.validate().map { "\($0.path): \($0.message)" }
        #expect(problems.contains { $0.hasPrefix("sidecar.services[0].addresses") })
        #expect(problems.contains { $0.hasPrefix("sidecar.services[0].listener") && $0.contains("no listener named") })
        #expect(problems.contains { $0.hasPrefix("sidecar.services[0].backend") })
        #expect(problems.contains { $0.hasPrefix("sidecar.services[1].listener") && $0.contains("must be virtual") })
    }

    @Test func twoVirtualListenersForOneDestinationCollide() {
        let config = Self.config(services: [], listeners: [
            Listener(name: "a", address: "10.96.0.10", port: 80, bind: false),
            Listener(name: "b", address: "10.96.0.10", port: 80, bind: false),
            Listener(name: "bound", address: "0.0.0.0", port: 80),
        ])
        let problems = config.validate().map(\.path)
        #expect(problems == ["listeners[1].port"], "a bound 0.0.0.0:80 does not collide with a virtual one")
    }

    @Test func theFirstSelectingWorkloadPolicyWinsOverTheNamespaceMode() {
        let inbound = InboundPolicy(mode: .strict, workloads: [
            WorkloadTLSMode(policy: "shop/legacy-db", matchLabels: ["app": "db", "tier": "legacy"], mode: .permissive),
            WorkloadTLSMode(policy: "shop/db", matchLabels: ["app": "db"], mode: .strict),
        ])
        #expect(inbound.mode(forLabels: ["app": "db", "tier": "legacy", "pod-template-hash": "x"]) == .permissive)
        #expect(inbound.mode(forLabels: ["app": "db"]) == .strict)
        #expect(inbound.mode(forLabels: [:]) == .strict)
    }
}
