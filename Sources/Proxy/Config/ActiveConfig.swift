import NIOHTTP1
import NIOSSL
import ProxyConfig
import Synchronization

/// A validated, compiled config snapshot. Immutable: requests hold the one they started with,
/// a swap only publishes a new instance.
final class ActiveConfig: Sendable {
    let source: ProxyConfig
    let routers: [String: any RequestRouter]
    let clusters: [String: UpstreamCluster]
    /// One TLS context per HTTPS listener, by listener name.
    let tlsContexts: [String: NIOSSLContext]
    /// A sidecar's mesh Services by destination; nil for a gateway.
    let sidecar: SidecarRouting?
    /// Listeners by name: a sidecar's connection looks its virtual listener up among thousands.
    let listenersByName: [String: Listener]

    var version: String { source.version }

    init(source: ProxyConfig, routers: [String: any RequestRouter], clusters: [String: UpstreamCluster], tlsContexts: [String: NIOSSLContext],
         sidecar: SidecarRouting? = nil) {
        self.sidecar = sidecar
        self.source = source
        listenersByName = Dictionary(source.listeners.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.routers = routers
        self.clusters = clusters
        self.tlsContexts = tlsContexts
    }
}
