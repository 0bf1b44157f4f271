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
///   then the finalizer;
/// - a reference that cannot be checked (a kind not served, or a namespaced owner named by a
///   cluster-scoped object) keeps its dependent as it is.
///
/// An index of owner uid → dependents is updated on every commit, on the writer's thread; the
/// decisions run on one serial queue, re-reading the store for each (events from different
/// writers can arrive out of order), and write only through the API verbs.
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
            // Indexed right away, on the writer's thread, so that any decision the queue makes
            // later sees every dependent committed before it.
            reindex(ObjectLocation(storageKey: event.storageKey, objectKey: event.objectKey))
            queue.async { self.handle(event) }
        }
        // At start (possibly over a persisted store): index everything, then settle what is pending.
        reindexAll()
        queue.async { self.settleAll() }
    }

    private func reindexAll() {
        for key in server.store.storageKeys {
            for (objectKey, _) in server.store.list(key).items {
                reindex(ObjectLocation(storageKey: key, objectKey: objectKey))
            }
        }
    }

    /// Records what an object names as owners now. The store is read under the index's lock, so
    /// when two writers race the later reading wins and the index ends up current.
    private func reindex(_ location: ObjectLocation) {
        index.withLock { index in
            let current = server.store.get(location.storageKey, location.objectKey)
            index.record(location, owners: current.map(Self.ownerUIDs) ?? [])
        }
    }

    private func settleAll() {
        for key in server.store.storageKeys {
            for (objectKey, object) in server.store.list(key).items {
                settle(ObjectLocation(storageKey: key, objectKey: objectKey), object)
            }
        }
    }

    private func handle(_ event: StoreEvent) {
        let location = ObjectLocation(storageKey: event.storageKey, objectKey: event.objectKey)
        let current = server.store.get(event.storageKey, event.objectKey)
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
        if event.storageKey == CRDController.crdKey {
            // A kind came or went: references to it that could not be resolved may resolve now,
            // and the custom objects removed with a CRD left the store without commit events.
            reindexAll()
            settleAll()
        }
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
