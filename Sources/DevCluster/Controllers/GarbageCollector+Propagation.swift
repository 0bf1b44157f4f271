import Foundation
import KubeModel

/// The collector's decisions, each re-reading the store: what happens to a dependent given the
/// state of its owners, and how foreground and orphan deletions of an owner finish.
extension GarbageCollector {
    /// How an owner reference stands, as the real collector classifies it.
    enum OwnerState {
        /// The owner exists (same uid) and is not waiting for its dependents.
        case solid
        /// No object of that kind, name (and namespace) with that uid exists.
        case dangling
        /// The owner is being deleted in the foreground.
        case waitingForDependents
        /// The kind is not served, or a cluster-scoped object names a namespaced owner: the
        /// reference cannot be checked, so the dependent is left alone.
        case unresolvable
    }

    /// Where the owner a reference names would be stored. A namespaced owner lives in the
    /// dependent's namespace (owner references cannot cross namespaces).
    func ownerLocation(_ reference: OwnerReference, dependentNamespace: String) -> ObjectLocation? {
        let (group, version) = reference.groupVersion
        let registry = server.registry
        guard let definition = registry.lookup(group: group, version: version, kind: reference.kind)
                ?? registry.all.first(where: { $0.group == group && $0.kind == reference.kind }),
              !definition.isVirtual else { return nil }
        if definition.namespaced {
            guard !dependentNamespace.isEmpty else { return nil }
            return ObjectLocation(storageKey: definition.storageKey,
                                  objectKey: ObjectKey(namespace: dependentNamespace, name: reference.name))
        }
        return ObjectLocation(storageKey: definition.storageKey, objectKey: ObjectKey(namespace: "", name: reference.name))
    }

    func state(of reference: OwnerReference, dependentNamespace: String) -> OwnerState {
        guard let location = ownerLocation(reference, dependentNamespace: dependentNamespace) else { return .unresolvable }
        guard let owner = server.store.get(location.storageKey, location.objectKey),
              Self.uid(owner) == reference.uid else { return .dangling }
        if ObjectMetaRules.isDeleting(owner), ObjectMetaRules.finalizers(owner).contains(Self.foregroundFinalizer) {
            return .waitingForDependents
        }
        return .solid
    }

    /// A dependent with no owner left alive is deleted; one with some is kept, minus its references
    /// to owners that are gone or waiting for it.
    func attemptToDelete(_ location: ObjectLocation) {
        guard let item = server.store.get(location.storageKey, location.objectKey), let uid = Self.uid(item) else { return }
        // Already going: one deleting its own dependents first is finished by finishForegroundDeletion.
        if ObjectMetaRules.isDeleting(item) { return }
        let references = OwnerReference.all(of: item)
        guard !references.isEmpty else { return }
        var hasSolidOwner = false
        var waiting = false
        var stale = Set<String>()
        for reference in references {
            switch state(of: reference, dependentNamespace: location.objectKey.namespace) {
            case .unresolvable:
                return
            case .solid:
                hasSolidOwner = true
            case .dangling:
                stale.insert(reference.uid)
            case .waitingForDependents:
                stale.insert(reference.uid)
                waiting = true
            }
        }
        if hasSolidOwner {
            // Drop the references that would otherwise hold a foreground owner forever.
            if !stale.isEmpty { removeOwnerReferences(stale, from: location) }
            return
        }
        let finalizers = ObjectMetaRules.finalizers(item)
        let policy: APIServer.DeleteOptions.Propagation
        if waiting, index.withLock({ $0.hasDependents(uid) }) {
            policy = .foreground
        } else if finalizers.contains(Self.orphanFinalizer) {
            policy = .orphan
        } else if finalizers.contains(Self.foregroundFinalizer) {
            policy = .foreground
        } else {
            policy = .background
        }
        delete(location, uid: uid, policy: policy)
    }

    /// Removes an owner's `foregroundDeletion` finalizer once no dependent blocks it.
    func finishForegroundDeletion(_ location: ObjectLocation) {
        guard let owner = server.store.get(location.storageKey, location.objectKey), let uid = Self.uid(owner),
              ObjectMetaRules.isDeleting(owner),
              ObjectMetaRules.finalizers(owner).contains(Self.foregroundFinalizer) else { return }
        let blocked = index.withLock({ $0.dependents(of: uid) }).contains { dependent in
            guard let object = server.store.get(dependent.storageKey, dependent.objectKey) else { return false }
            return OwnerReference.all(of: object).contains { $0.uid == uid && $0.blockOwnerDeletion }
        }
        guard !blocked else { return }
        removeFinalizer(Self.foregroundFinalizer, from: location, uid: uid)
    }

    /// Takes the owner's reference out of every dependent, then the owner's `orphan` finalizer.
    func orphanDependents(_ location: ObjectLocation, uid: String) {
        var complete = true
        for dependent in index.withLock({ $0.dependents(of: uid) }) {
            if !removeOwnerReferences([uid], from: dependent, retrying: location) { complete = false }
        }
        if complete { removeFinalizer(Self.orphanFinalizer, from: location, uid: uid) }
    }

    // MARK: writes, through the API verbs

    private func delete(_ location: ObjectLocation, uid: String, policy: APIServer.DeleteOptions.Propagation) {
        guard let definition = server.registry.anyVersion(of: location.storageKey) else { return }
        var options = APIServer.DeleteOptions()
        options.propagation = policy
        options.preconditionUID = uid
        do {
            _ = try server.delete(definition, namespace: location.objectKey.namespace, name: location.objectKey.name,
                                  options: options)
        } catch where error.code == 404 || error.code == 409 {
            // Gone already, or replaced by a new object of the same name: nothing of ours to delete.
        } catch {
            logger.warning("cannot delete \(location): \(error.message ?? "")")
        }
    }

    /// True when the dependent no longer names any of `owners` (or is gone).
    @discardableResult
    private func removeOwnerReferences(_ owners: Set<String>, from location: ObjectLocation,
                                       retrying: ObjectLocation? = nil) -> Bool {
        let outcome = server.rewrite(location, uid: nil, manager: Self.fieldManager) { current in
            let references = current[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let kept = references.filter { !owners.contains($0["uid"]?.stringValue ?? "") }
            guard kept.count != references.count else { return nil }
            var next = current
            next[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
            return next
        }
        return succeeded(outcome, "remove owner references from \(location)", retrying: retrying ?? location)
    }

    private func removeFinalizer(_ finalizer: String, from location: ObjectLocation, uid: String) {
        let outcome = server.rewrite(location, uid: uid, manager: Self.fieldManager) { current in
            var finalizers = ObjectMetaRules.finalizers(current)
            guard let position = finalizers.firstIndex(of: finalizer) else { return nil }
            finalizers.remove(at: position)
            var next = current
            next[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) })
            return next
        }
        succeeded(outcome, "remove finalizer \(finalizer) from \(location)", retrying: location)
    }

    /// Logs a refused write. One that kept conflicting (another writer is busy with the object) is
    /// tried again shortly by settling `retrying` anew; any other refusal would be refused again.
    @discardableResult
    private func succeeded(_ outcome: ControllerWriteOutcome, _ what: String, retrying: ObjectLocation) -> Bool {
        switch outcome {
        case .written, .unchanged, .gone:
            return true
        case .failed(let status):
            logger.warning("cannot \(what): \(status.message ?? "")")
            if status.code == 409 {
                queue.asyncAfter(deadline: .now() + 1) { [self] in
                    guard let object = server.store.get(retrying.storageKey, retrying.objectKey) else { return }
                    settle(retrying, object)
                }
            }
            return false
        }
    }
}
