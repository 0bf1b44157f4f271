import KubeClient
import KubeModel
import KubeTypes
import Logging
import ProxyConfig
import Synchronization
import Translator

/// The fast path for endpoints: an EndpointSlice change goes straight to the proxies whose
/// configuration uses that Service, as an endpoint-only update, without translating routes
/// again. Which backends come from which Service is read off the published configurations
/// (backend names are `namespace/service:port`, with `/h2c` for HTTP/2 backends).
final class EndpointPropagator: Sendable {
    let caches: ClusterCaches
    let configs: ConfigStore
    let logger: Logger
    private let slices = TypedObjects<EndpointSlice>()
    private let services = TypedObjects<Service>()
    private let pending = Mutex<Set<String>>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    init(caches: ClusterCaches, configs: ConfigStore, logger: Logger) {
        self.caches = caches
        self.configs = configs
        self.logger = logger
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes a Service whose slices changed.
    func changed(slice: JSONValue) {
        guard let namespace = slice.metaNamespace, let service = slice.metaLabels[EndpointSlice.serviceNameLabel] else { return }
        pending.withLock { _ = $0.insert("\(namespace)/\(service)") }
        wake.yield()
    }

    /// Recomputes every backend's endpoints (after a full configuration was published, which
    /// may have been translated from a slightly older cache).
    func refreshAll() {
        pending.withLock { _ = $0.insert("*") }
        wake.yield()
    }

    /// Sends updates as changes come, each batch as soon as the previous one is out.
    func run() async {
        for await _ in wakeups {
            let batch = pending.withLock { pending -> Set<String> in
                defer { pending = [] }
                return pending
            }
            if !batch.isEmpty { propagate(batch) }
        }
    }

    func stop() { wake.finish() }

    private func propagate(_ changedServices: Set<String>) {
        let everything = changedServices.contains("*")
        let allSlices = slices.objects(from: caches.endpointSlices)
        var slicesByService: [String: [EndpointSlice]] = [:]
        for slice in allSlices {
            guard let service = slice.serviceName, let namespace = slice.metadata.namespace else { continue }
            let key = "\(namespace)/\(service)"
            if everything || changedServices.contains(key) { slicesByService[key, default: []].append(slice) }
        }
        let serviceIndex = Dictionary(services.objects(from: caches.services).map { ($0.metadata.key, $0) }, uniquingKeysWith: { a, _ in a })
        for key in configs.keys {
            guard let config = configs.config(for: key) else { continue }
            var updates: [BackendEndpoints] = []
            for backend in config.backends {
                guard let source = BackendSource(backend.name), everything || changedServices.contains(source.service),
                      let service = serviceIndex[source.service], service.spec.type != "ExternalName",
                      let port = service.spec.ports?.first(where: { $0.port == source.port }) else { continue }
                let endpoints = ServiceEndpoints.endpoints(
                    for: port, slices: (slicesByService[source.service] ?? []).sorted { $0.metadata.name < $1.metadata.name })
                if endpoints != backend.endpoints { updates.append(BackendEndpoints(name: backend.name, endpoints: endpoints)) }
            }
            if !updates.isEmpty, let version = configs.updateEndpoints(key, updates) {
                logger.debug("endpoints sent", metadata: ["proxyKey": "\(key)", "backends": "\(updates.map(\.name))", "version": "\(version)"])
            }
        }
    }
}

/// The Service and port a backend name came from.
struct BackendSource {
    var service: String
    var port: Int32

    init?(_ name: String) {
        var text = Substring(name)
        if text.hasSuffix("/h2c") { text = text.dropLast(4) }
        guard let colon = text.lastIndex(of: ":"), let port = Int32(text[text.index(after: colon)...]) else { return nil }
        service = String(text[..<colon])
        self.port = port
    }
}
