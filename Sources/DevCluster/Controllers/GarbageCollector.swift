import Foundation
import Synchronization
import Logging
import KubeModel

/// The garbage collector of a real control plane, driven by `metadata.ownerReferences`:
///
/// - an object whose owners (matched by uid) are all gone is deleted — whether the owner was
///   deleted in the background, or the reference never resolved (a namespaced owner is looked up
///   in the dependent's namespace);
/// - an owner deleted in the foreground (`foregroundDeletion` finalizer) has its dependents deleted
///   first, and goes once none with `blockOwnerDeletion: true` remains;
/// - an owner deleted with the `orphan` finalizer has its reference removed from every dependent,
///   then the finalizer.
///
/// It reacts to commit events on one serial queue, re-reading the store for every decision (events
/// can arrive out of order from different writers), and writes only through the API verbs.
final class GarbageCollector: Sendable {
    let server: APIServer
    let queue = DispatchQueue(label: "causeway.devcluster.garbage-collector")
    let index = Mutex(DependentIndex())
    let logger = Logger(label: "causeway.devcluster.garbage-collector")
    /// The manager name the real garbage collector's writes carry in `managedFields`.
    static let fieldManager = "kube-controller-manager"

    init(server: APIServer) {
        self.server = server
    }

    func start() {
        server.onCommit { [self] event in
            queue.async { self.handle(event) }
        }
        queue.async { self.scanAll() }
    }

    /// At start (possibly over a persisted store): index everything, then settle what is pending.
    private func scanAll() {
        var objects: [(ObjectLocation, JSONValue)] = []
        for key in server.store.storageKeys {
            for (objectKey, object) in server.store.list(key).items {
                let location = ObjectLocation(storageKey: key, objectKey: objectKey)
                objects.append((location, object))
                index.withLock { $0.record(location, owners: Self.ownerUIDs(object)) }
            }
        }
        for (location, object) in objects {
            settle(location, object)
        }
    }

    private func handle(_ event: StoreEvent) {
        let location = ObjectLocation(storageKey: event.storageKey, objectKey: event.objectKey)
        let current = server.store.get(event.storageKey, event.objectKey)
        index.withLock { $0.record(location, owners: current.map(Self.ownerUIDs) ?? []) }

        let uid = Self.uid(event.object)
        if let uid, current.flatMap(Self.uid) != uid {
            // This incarnation is gone: whatever it owned may now be dangling.
            for dependent in index.withLock({ $0.dependents(of: uid) }) { attemptToDelete(dependent) }
        }
        // A dependent that went away, or dropped or unblocked its reference, may release an owner
        // waiting in the foreground.
        let namespace = event.objectKey.namespace
        var owners = OwnerReference.all(of: event.object)
        if let previous = event.previous { owners += OwnerReference.all(of: previous) }
        var seen = Set<String>()
        for reference in owners where seen.insert(reference.uid).inserted {
            if let owner = ownerLocation(reference, dependentNamespace: namespace) {
                finishForegroundDeletion(owner)
            }
        }
        if let current { settle(location, current) }
    }

    /// Everything the collector may have to do about one live object.
    func settle(_ location: ObjectLocation, _ object: JSONValue) {
        if !OwnerReference.all(of: object).isEmpty { attemptToDelete(location) }
        guard ObjectMetaRules.isDeleting(object), let uid = Self.uid(object) else { return }
        let finalizers = ObjectMetaRules.finalizers(object)
        if finalizers.contains(Self.orphanFinalizer) { orphanDependents(location, uid: uid) }
        if finalizers.contains(Self.foregroundFinalizer) {
            for dependent in index.withLock({ $0.dependents(of: uid) }) { attemptToDelete(dependent) }
            finishForegroundDeletion(location)
        }
    }

    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    static func uid(_ object: JSONValue) -> String? {
        object[path: ["metadata", "uid"]]?.stringValue
    }

    static func ownerUIDs(_ object: JSONValue) -> Set<String> {
        Set(OwnerReference.all(of: object).map(\.uid))
    }
}
