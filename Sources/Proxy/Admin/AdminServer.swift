import NIOCore
import OpsServer
import ProxyConfig

/// The admin endpoint: `/metrics` (Prometheus text), `/ready`, `/config` (the active config and
/// its version as JSON). Separate port, never routed through the proxy; bind it to loopback, as
/// `/config` shows private keys. For kubelet probes on the pod's address use `HealthEndpoint`.
public enum AdminServer {
    public static func start(host: String, port: Int, proxy: ProxyServer, group: any EventLoopGroup) async throws -> OpsServer {
        try await OpsServer.start(host: host, port: port, group: group) { path in
            switch path {
            case "/metrics":
                return OpsServer.Answer(status: .ok, contentType: PrometheusExposition.contentType, body: await proxy.prometheusText())
            case "/ready":
                return proxy.isReady ? .text("ready\n") : .text("not ready\n", status: .serviceUnavailable)
            case "/config":
                return OpsServer.Answer(status: .ok, contentType: "application/json", body: ProxyConfigFile.encodeJSON(proxy.activeConfig) + "\n")
            default:
                return .text("unknown admin path; try /metrics, /ready, /config\n", status: .notFound)
            }
        }
    }
}
