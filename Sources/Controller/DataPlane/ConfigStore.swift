import KubeModel
import ProxyConfig
import Synchronization
import Translator

/// The latest configuration of every data plane, and who may fetch it.
///
/// Full configurations come from the reconciler; endpoint changes come from the fast path and
/// are kept as a short log of deltas. A proxy's stream asks "what has changed since the version I
/// was sent?" and gets one answer covering every change since — a merged endpoint delta when the
/// log reaches back that far, else the whole configuration. So bursts merge, and a slow proxy gets
/// the newest state, never a queue of old ones.
public final class ConfigStore: Sendable {
    /// The service account whose pods may fetch a data plane's configuration; nil: any service
    /// account of the namespace (a namespace's sidecars run as its workloads' accounts).
    public struct Owner: Hashable, Sendable {
        public var namespace: String
        public var serviceAccount: String?
        public init(namespace: String, serviceAccount: String?) {
            self.namespace = namespace
            self.serviceAccount = serviceAccount
        }
    }

    private struct Entry {
        var config: ProxyConfig
        var owner: Owner?
        /// Endpoint deltas since the last full configuration: base version, new version, backends touched.
        var deltas: [(base: String, version: String, backends: Set<String>)] = []
    }

    private struct State {
        var entries: [ProxyKey: Entry] = [:]
        var watchers: [ProxyKey: [UInt64: AsyncStream<Void>.Continuation]] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private static let deltaLogLimit = 64

    public init() {}

    public func config(for key: ProxyKey) -> ProxyConfig? { state.withLock { $0.entries[key]?.config } }
    public func owner(of key: ProxyKey) -> Owner? { state.withLock { $0.entries[key]?.owner } }
    public var keys: [ProxyKey] { state.withLock { Array($0.entries.keys).sorted() } }

    /// Stores full configurations. One equal to what is stored apart from its version (an endpoint
    /// delta already brought the proxies there) changes nothing. Data planes not listed keep their
    /// configuration unless named in `removed`.
    public func publish(_ configs: [ProxyKey: ProxyConfig], owners: [ProxyKey: Owner] = [:], removing removed: Set<ProxyKey> = []) {
        let notify = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            var changed: Set<ProxyKey> = []
            for (key, config) in configs {
                if var entry = state.entries[key] {
                    entry.owner = owners[key] ?? entry.owner
                    if !Self.sameContent(entry.config, config) {
                        entry.config = config
                        entry.deltas = []
                        changed.insert(key)
                    }
                    state.entries[key] = entry
                } else {
                    state.entries[key] = Entry(config: config, owner: owners[key])
                    changed.insert(key)
                }
            }
            for key in removed where state.entries.removeValue(forKey: key) != nil { changed.insert(key) }
            return changed.flatMap { state.watchers[$0].map { Array($0.values) } ?? [] }
        }
        for watcher in notify { watcher.yield() }
    }

    /// Replaces the endpoints of some backends of one data plane; returns the new version, or nil
    /// when nothing changed (or the data plane is unknown).
    @discardableResult
    public func updateEndpoints(_ key: ProxyKey, _ backends: [BackendEndpoints]) -> String? {
        let (version, notify) = state.withLock { state -> (String?, [AsyncStream<Void>.Continuation]) in
            guard var entry = state.entries[key] else { return (nil, []) }
            let current = Dictionary(entry.config.backends.map { ($0.name, $0.endpoints) }, uniquingKeysWith: { a, _ in a })
            let changes = backends.filter { current[$0.name] != nil && current[$0.name] != $0.endpoints }
            guard !changes.isEmpty else { return (nil, []) }
            let base = entry.config.version
            let generation = ConfigVersion.generation(of: base) ?? 0
            var digest = Array(base.utf8)
            for change in changes.sorted(by: { $0.name < $1.name }) {
                digest += Array(change.name.utf8)
                for endpoint in change.endpoints { digest += Array("|\(endpoint.host):\(endpoint.port)*\(endpoint.weight)".utf8) }
            }
            let version = "\(generation)-\(StableHash.hex64(digest))"
            let update = EndpointUpdate(baseVersion: base, version: version, backends: changes)
            guard let updated = entry.config.applying(update) else { return (nil, []) }
            entry.config = updated
            entry.deltas.append((base, version, Set(changes.map(\.name))))
            if entry.deltas.count > Self.deltaLogLimit { entry.deltas.removeFirst(entry.deltas.count - Self.deltaLogLimit) }
            state.entries[key] = entry
            return (version, state.watchers[key].map { Array($0.values) } ?? [])
        }
        for watcher in notify { watcher.yield() }
        return version
    }

    /// What a proxy that was last sent `sent` (nil: nothing yet) needs now: nothing, a merged
    /// endpoint delta, or the whole configuration. `.none` also when the data plane is gone.
    public func message(for key: ProxyKey, since sent: String?) -> ConfigStreamMessage? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            let config = entry.config
            if sent == config.version { return nil }
            if let sent, let start = entry.deltas.firstIndex(where: { $0.base == sent }) {
                let touched = entry.deltas[start...].reduce(into: Set<String>()) { $0.formUnion($1.backends) }
                let backends = config.backends.filter { touched.contains($0.name) }.map { BackendEndpoints(name: $0.name, endpoints: $0.endpoints) }
                return .endpoints(EndpointUpdate(baseVersion: sent, version: config.version, backends: backends))
            }
            return .config(config)
        }
    }

    /// A signal for every change of `key` (coalesced: a slow reader sees one signal for many).
    public func changes(for key: ProxyKey) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.watchers[key, default: [:]][state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                state.watchers[key]?[id] = nil
                if state.watchers[key]?.isEmpty == true { state.watchers[key] = nil }
            }
        }
        return stream
    }

    /// Equal apart from the version string.
    private static func sameContent(_ a: ProxyConfig, _ b: ProxyConfig) -> Bool {
        var b = b
        b.version = a.version
        return a == b
    }
}
