import KubeModel
import Synchronization

/// An informer's local copy of a collection, keyed `namespace/name`, with secondary indexes.
///
/// Reads are safe from any thread; only the informer writes.
public final class ObjectCache: Sendable {
    /// Returns the index values of an object; an object may sit under several values.
    public typealias IndexFunction = @Sendable (JSONValue) -> [String]

    public static let namespaceIndex = "namespace"
    /// Values are `key=value`, one per label.
    public static let labelIndex = "label"

    private struct State {
        var items: [String: JSONValue] = [:]
        /// index name → index value → keys
        var indices: [String: [String: Set<String>]] = [:]
    }

    private let indexers: [String: IndexFunction]
    private let state = Mutex(State())

    /// Creates a cache with the namespace and label indexes plus `indexers` (e.g. routes by parent Gateway).
    public init(indexers: [String: IndexFunction] = [:]) {
        var all: [String: IndexFunction] = [
            Self.namespaceIndex: { object in [object.metaNamespace ?? ""] },
            Self.labelIndex: { object in object.metaLabels.map { "\($0.key)=\($0.value)" } },
        ]
        for (name, function) in indexers { all[name] = function }
        self.indexers = all
    }

    /// The object under a `namespace/name` (or `name`) key.
    public func get(_ key: String) -> JSONValue? { state.withLock { $0.items[key] } }

    /// The object with this name in this namespace (nil for cluster-scoped).
    public func get(name: String, namespace: String?) -> JSONValue? {
        get(namespace.map { $0.isEmpty ? name : "\($0)/\(name)" } ?? name)
    }

    /// Every cached object, in no particular order.
    public func list() -> [JSONValue] { state.withLock { Array($0.items.values) } }
    /// Every cache key.
    public func keys() -> [String] { state.withLock { Array($0.items.keys) } }
    public var count: Int { state.withLock { $0.items.count } }

    /// Objects whose index function returned `value`.
    public func byIndex(_ name: String, _ value: String) -> [JSONValue] {
        state.withLock { state in
            guard let keys = state.indices[name]?[value] else { return [] }
            return keys.compactMap { state.items[$0] }
        }
    }

    /// Objects in one namespace.
    public func byNamespace(_ namespace: String) -> [JSONValue] { byIndex(Self.namespaceIndex, namespace) }
    /// Objects carrying the label `key=value`.
    public func byLabel(_ key: String, _ value: String) -> [JSONValue] { byIndex(Self.labelIndex, "\(key)=\(value)") }

    /// Stores an object; returns the previous one under its key.
    @discardableResult
    func upsert(_ object: JSONValue) -> JSONValue? {
        let key = object.objectKey
        return state.withLock { state in
            let old = state.items.updateValue(object, forKey: key)
            if let old { unindex(old, key: key, in: &state) }
            index(object, key: key, in: &state)
            return old
        }
    }

    /// Removes an object by key; returns what was stored.
    @discardableResult
    func remove(_ key: String) -> JSONValue? {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return nil }
            unindex(old, key: key, in: &state)
            return old
        }
    }

    /// Swaps in a complete list; returns what was stored before.
    func replace(_ objects: [JSONValue]) -> [String: JSONValue] {
        var fresh = State()
        for object in objects {
            let key = object.objectKey
            fresh.items[key] = object
            index(object, key: key, in: &fresh)
        }
        return state.withLock { state in
            let old = state.items
            state = fresh
            return old
        }
    }

    private func index(_ object: JSONValue, key: String, in state: inout State) {
        for (name, function) in indexers {
            for value in function(object) { state.indices[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private func unindex(_ object: JSONValue, key: String, in state: inout State) {
        for (name, function) in indexers {
            for value in function(object) {
                state.indices[name]?[value]?.remove(key)
                if state.indices[name]?[value]?.isEmpty == true { state.indices[name]?[value] = nil }
            }
        }
    }
}
