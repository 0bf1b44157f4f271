import ProxyConfig
import Synchronization
import Translator

/// The latest configuration of every data plane, as the last reconcile made it. The
/// configuration server streams from here; storing an equal configuration notifies no one.
public final class ConfigStore: Sendable {
    private struct State {
        var configs: [ProxyKey: ProxyConfig] = [:]
        var watchers: [ProxyKey: [UInt64: AsyncStream<ProxyConfig?>.Continuation]] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public func config(for key: ProxyKey) -> ProxyConfig? { state.withLock { $0.configs[key] } }

    public var keys: [ProxyKey] { state.withLock { Array($0.configs.keys).sorted() } }

    /// Replaces every configuration. Data planes absent from `configs` keep their last one:
    /// a Gateway that stopped being accepted must go on serving what it served.
    public func publish(_ configs: [ProxyKey: ProxyConfig], removing removed: Set<ProxyKey> = []) {
        let notifications = state.withLock { state -> [(AsyncStream<ProxyConfig?>.Continuation, ProxyConfig?)] in
            var out: [(AsyncStream<ProxyConfig?>.Continuation, ProxyConfig?)] = []
            for (key, config) in configs where state.configs[key] != config {
                state.configs[key] = config
                for watcher in state.watchers[key]?.values ?? [:].values { out.append((watcher, config)) }
            }
            for key in removed where state.configs.removeValue(forKey: key) != nil {
                for watcher in state.watchers[key]?.values ?? [:].values { out.append((watcher, nil)) }
            }
            return out
        }
        for (watcher, config) in notifications { watcher.yield(config) }
    }

    /// The current configuration of `key` (if any), then every change, newest only: a slow
    /// reader skips the versions it had no time for. `nil` means the data plane was removed.
    public func updates(for key: ProxyKey) -> AsyncStream<ProxyConfig?> {
        let (stream, continuation) = AsyncStream<ProxyConfig?>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.watchers[key, default: [:]][state.nextID] = continuation
            if let current = state.configs[key] { continuation.yield(current) }
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
}
