import NIOCore
import OpsServer
import PrometheusText
import Synchronization

/// The proxy process's state as its health endpoint reports it: not ready until a first
/// configuration is serving (a proxy streaming from the control plane starts without one), and
/// not ready again once it drains.
public final class ProxyRuntime: Sendable {
    private struct State {
        var server: ProxyServer?
        var draining = false
        var waiters: [CheckedContinuation<ProxyServer?, Never>] = []
    }

    private let state = Mutex(State())
    /// A sidecar's copies of its app's probes, with the loops that run them.
    private let appProbes: (probes: AppProbes, group: any EventLoopGroup)?

    public init(appProbes: AppProbes? = nil, group: (any EventLoopGroup)? = nil) {
        if let appProbes, let group { self.appProbes = (appProbes, group) } else { self.appProbes = nil }
    }

    public var server: ProxyServer? { state.withLock { $0.server } }

    public func started(_ server: ProxyServer) {
        let waiters = state.withLock { state -> [CheckedContinuation<ProxyServer?, Never>] in
            state.server = server
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: server) }
    }

    /// The server once it serves; nil if the process starts draining first.
    public func waitForServer() async -> ProxyServer? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ProxyServer?? in
                if let server = state.server { return .some(server) }
                if state.draining { return .some(nil) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    public func startDraining() {
        let waiters = state.withLock { state -> [CheckedContinuation<ProxyServer?, Never>] in
            state.draining = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// `/live` (the process answers), `/ready` (serving a configuration), `/metrics`, and in a
    /// sidecar `/app-health/<container>/<kind>` (the app's probes, run from here).
    public func healthAnswer(_ path: String) async -> OpsServer.Answer {
        let server = self.server
        switch path {
        case "/live", "/healthz":
            return .text("ok\n")
        case "/ready":
            guard let server, server.isReady else { return .text("not ready\n", status: .serviceUnavailable) }
            return .text("ready\n")
        case "/metrics":
            return OpsServer.Answer(status: .ok, contentType: PrometheusText.contentType, body: await server?.prometheusText() ?? "")
        case let path where path.hasPrefix(AppProbes.pathPrefix):
            guard let appProbes, let healthy = await appProbes.probes.run(path: path, group: appProbes.group) else {
                return .text("no such app probe\n", status: .notFound)
            }
            return healthy ? .text("ok\n") : .text("app probe failed\n", status: .serviceUnavailable)
        default:
            return .text("try /ready, /live, /metrics\n", status: .notFound)
        }
    }
}
