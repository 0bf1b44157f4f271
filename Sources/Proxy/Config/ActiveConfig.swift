import NIOHTTP1
import NIOSSL
import ProxyConfig
import Synchronization

/// Routes a request head under one config snapshot for one listener.
protocol RequestRouter: Sendable {
    func plan(for head: HTTPRequestHead, info: DownstreamInfo, random: UInt64) -> RoutePlan
}

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

/// Publishes config snapshots to event loops. A loop reads `generation` (one atomic load per
/// request) and takes the lock only when it changed, i.e. once per swap per loop.
final class ConfigStore: Sendable {
    private let current: Mutex<ActiveConfig>
    private let generationCounter = Atomic<UInt64>(0)
    private let swapCounter = Atomic<UInt64>(0)
    private let rejectionCounter = Atomic<UInt64>(0)

    init(_ initial: ActiveConfig) {
        current = Mutex(initial)
    }

    var generation: UInt64 { generationCounter.load(ordering: .acquiring) }
    var swaps: UInt64 { swapCounter.load(ordering: .relaxed) }
    var rejections: UInt64 { rejectionCounter.load(ordering: .relaxed) }

    func load() -> ActiveConfig { current.withLock { $0 } }

    func publish(_ config: ActiveConfig) {
        current.withLock { $0 = config }
        generationCounter.add(1, ordering: .releasing)
        swapCounter.add(1, ordering: .relaxed)
    }

    func recordRejection() { rejectionCounter.add(1, ordering: .relaxed) }
}
