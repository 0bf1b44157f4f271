/// Which objects name which owners (by uid), kept from commit events so the garbage collector
/// finds an owner's dependents without scanning the store.
struct DependentIndex: Sendable {
    private var dependentsByOwner: [String: Set<ObjectLocation>] = [:]
    private var ownersByDependent: [ObjectLocation: Set<String>] = [:]

    /// Records the owner uids an object names now; an empty set (or a deleted object) forgets it.
    mutating func record(_ location: ObjectLocation, owners: Set<String>) {
        let previous = ownersByDependent[location] ?? []
        guard previous != owners else { return }
        for uid in previous.subtracting(owners) {
            dependentsByOwner[uid]?.remove(location)
            if dependentsByOwner[uid]?.isEmpty == true { dependentsByOwner[uid] = nil }
        }
        for uid in owners.subtracting(previous) {
            dependentsByOwner[uid, default: []].insert(location)
        }
        ownersByDependent[location] = owners.isEmpty ? nil : owners
    }

    /// The objects that name `uid` as an owner, in a stable order.
    func dependents(of uid: String) -> [ObjectLocation] {
        (dependentsByOwner[uid] ?? []).sorted()
    }

    func hasDependents(_ uid: String) -> Bool {
        !(dependentsByOwner[uid]?.isEmpty ?? true)
    }
}
