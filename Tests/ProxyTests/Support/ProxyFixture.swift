import NIOCore
import NIOPosix
import ProxyConfig
@testable import Proxy

/// A proxy on 127.0.0.1 port 0 with named backends, stopped by `stop()`.
struct ProxyFixture {
    /// Backends and clients run here; the proxy too unless it was given its own group.
    let group: MultiThreadedEventLoopGroup
    let proxyGroup: MultiThreadedEventLoopGroup?
    let proxy: ProxyServer
    let backends: [String: TestBackend]

    var port: Int { proxy.boundPort(listener: "http")! }

    /// `makeConfig` receives each backend's port by name. With `proxyThreads`, the proxy gets event
    /// loops of its own, so that what runs on them is the proxy's work alone.
    static func start(
        backends names: [String] = ["a"], h2cBackends: Set<String> = [], threads: Int = 2, proxyThreads: Int? = nil,
        _ makeConfig: ([String: Int]) -> ProxyConfig
    ) async throws -> ProxyFixture {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let proxyGroup = proxyThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
        var backends: [String: TestBackend] = [:]
        for name in names {
            backends[name] = try await TestBackend.start(name: name, group: group, h2c: h2cBackends.contains(name))
        }
        let template = makeConfig(backends.mapValues(\.port))
        let proxy = try await FreePort.retryingClashes {
            var config = template
            for index in config.listeners.indices where config.listeners[index].port == 0 {
                config.listeners[index].port = try await FreePort.find(group: group)
            }
            return try await ProxyServer.start(config: config, group: proxyGroup ?? group)
        }
        return ProxyFixture(group: group, proxyGroup: proxyGroup, proxy: proxy, backends: backends)
    }

    func stop() async {
        await proxy.shutdown()
        for backend in backends.values { await backend.stop() }
        try? await proxyGroup?.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Builders for configs in tests.
enum TestConfig {
    static func backend(_ name: String, port: Int, protocol: BackendProtocol = .http1, policy: LoadBalancingPolicy = .roundRobin) -> Backend {
        Backend(name: name, protocol: `protocol`, endpoints: [Endpoint(host: "127.0.0.1", port: port)], loadBalancing: policy)
    }

    static func route(_ name: String, hostnames: [String] = [], rules: [HTTPRouteRule]) -> HTTPRoute {
        HTTPRoute(namespace: "default", name: name, hostnames: hostnames, rules: rules)
    }

    static func config(
        version: String = "1", routes: [HTTPRoute], backends: [Backend], limits: ListenerLimits = ListenerLimits(),
        protocol: ListenerProtocol = .http, tls: TLSConfig? = nil, listenerName: String = "http"
    ) -> ProxyConfig {
        ProxyConfig(
            version: version,
            listeners: [
                Listener(
                    name: listenerName, address: "127.0.0.1", port: 0, protocol: `protocol`, tls: tls, limits: limits,
                    virtualHosts: [VirtualHost(name: "default", routes: routes)])
            ],
            backends: backends)
    }

    /// One route sending everything to backend `a`.
    static func simple(_ ports: [String: Int], version: String = "1", limits: ListenerLimits = ListenerLimits(), rule: HTTPRouteRule? = nil) -> ProxyConfig {
        config(
            version: version,
            routes: [route("r", rules: [rule ?? HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
            backends: ports.map { backend($0.key, port: $0.value) }.sorted { $0.name < $1.name },
            limits: limits)
    }
}
