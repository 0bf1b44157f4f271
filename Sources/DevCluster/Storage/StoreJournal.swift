import KubeModel

/// Durable storage under the object store: told every committed event (under the store's lock,
/// in commit order), and asked once at start for what it kept.
public protocol StoreJournal: Sendable {
    func append(_ event: StoreEvent)
    func recover() throws -> (collections: [StorageKey: [ObjectKey: JSONValue]], revision: UInt64)
}
