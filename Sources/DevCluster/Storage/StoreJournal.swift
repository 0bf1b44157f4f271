import KubeModel

/// Durable storage under the object store: told every committed event (under the store's lock,
/// in commit order — so `append` must only hand the event on, never block), and asked once at
/// start for what it kept.
public protocol StoreJournal: Sendable {
    func append(_ event: StoreEvent)
    func recover() throws -> (collections: [StorageKey: [ObjectKey: JSONValue]], revision: UInt64)
    /// Why appended events are no longer being kept, once that happened; nil while they are.
    var failure: String? { get }
    /// Returns once every event appended so far is written (or has failed).
    func flush()
}
