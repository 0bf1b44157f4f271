import KubeClient

/// Reads and writes the one Lease an election is about; writes are compare-and-swap on resourceVersion.
public protocol LeaseStore: Sendable {
    var namespace: String { get }
    var name: String { get }
    func get() async throws -> Lease?
    func create(_ lease: Lease) async throws -> Lease
    /// Fails (409 Conflict) when the lease changed since it was read.
    func update(_ lease: Lease) async throws -> Lease
}

/// The Lease in a real API server.
public struct KubeLeaseStore: LeaseStore {
    public let leases: TypedResourceClient<Lease>
    public let namespace: String
    public let name: String

    public init(client: KubeClient, namespace: String, name: String) {
        leases = client.typed(Lease.self)
        self.namespace = namespace
        self.name = name
    }

    public func get() async throws -> Lease? {
        do {
            return try await leases.get(name, namespace: namespace)
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
    }

    public func create(_ lease: Lease) async throws -> Lease { try await leases.create(lease, namespace: namespace) }
    public func update(_ lease: Lease) async throws -> Lease { try await leases.update(lease) }
}
