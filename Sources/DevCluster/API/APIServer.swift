import Foundation
import Synchronization
import KubeModel
import APIMachinery

/// The Kubernetes API semantics, independent of HTTP: every verb as a function over the
/// registry and the store. The HTTP layer and the built-in controllers both call these, so a
/// controller's write goes through exactly the rules a client's does.
public final class APIServer: Sendable {
    public struct Options: Sendable {
        public var maxBodyBytes = 3 * 1024 * 1024
        public var bookmarkIntervalSeconds: Int64 = 60
        public var serviceCIDRBase: (UInt8, UInt8) = (10, 96)
        /// Dev-only: accept loopback addresses in EndpointSlices (see `BuiltInValidation`).
        public var allowLoopbackEndpoints = false
        public init() {}
    }

    public let registry: ResourceRegistry
    public let store: ObjectStore
    public let options: Options
    let clock: @Sendable () -> Date
    let strategies: StrategyTable
    public let tokens: TokenRegistry
    let clusterIPs: ClusterIPAllocator
    let nodePorts: NodePortAllocator
    private let hooks = Mutex<[@Sendable (StoreEvent) -> Void]>([])

    public init(store: ObjectStore, registry: ResourceRegistry = ResourceRegistry(), options: Options = Options(),
                tokens: TokenRegistry = TokenRegistry(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.registry = registry
        self.options = options
        self.clock = clock
        self.strategies = StrategyTable()
        self.tokens = tokens
        let services = StorageKey(group: "", resource: "services")
        clusterIPs = ClusterIPAllocator(base: options.serviceCIDRBase, services: store.list(services).items.map(\.1))
        nodePorts = NodePortAllocator(services: store.list(services).items.map(\.1))
        onCommit { [clusterIPs, nodePorts] event in
            if event.storageKey == services, event.kind == .deleted {
                clusterIPs.release(event.object)
                nodePorts.release(NodePortAllocator.ports(of: event.object))
            }
        }
    }

    /// Called after every committed change, outside the store lock (controllers react here).
    public func onCommit(_ hook: @escaping @Sendable (StoreEvent) -> Void) {
        hooks.withLock { $0.append(hook) }
    }

    func afterCommit(_ event: StoreEvent?) {
        guard let event else { return }
        for hook in hooks.withLock({ $0 }) { hook(event) }
    }

    var now: String { ObjectMetaRules.timestamp(clock()) }

    /// Stored objects carry their storage version; a read at another served version is the same object
    /// with that `apiVersion` (CRD conversion strategy None).
    func present(_ object: JSONValue, as definition: ResourceDefinition) -> JSONValue {
        guard object["apiVersion"]?.stringValue != definition.apiVersion else { return object }
        var copy = object
        copy["apiVersion"] = .string(definition.apiVersion)
        return copy
    }

    func objectKey(_ definition: ResourceDefinition, namespace: String?, name: String) -> ObjectKey {
        ObjectKey(namespace: definition.namespaced ? (namespace ?? "") : "", name: name)
    }

    // MARK: get

    public func get(_ definition: ResourceDefinition, namespace: String?, name: String) throws(APIStatus) -> JSONValue {
        guard let object = store.get(definition.storageKey, objectKey(definition, namespace: namespace, name: name)) else {
            throw APIErrors.notFound(definition, name: name)
        }
        return present(object, as: definition)
    }
}
