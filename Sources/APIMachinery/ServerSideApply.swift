import KubeModel

/// Server-side apply (`application/apply-patch+yaml`) and the field ownership every write records
/// in `metadata.managedFields`, following structured-merge-diff as the API server uses it.
public enum ServerSideApply {
    /// Applies `applied` for `manager`. `live` nil means create. Returns the merged object with
    /// `metadata.managedFields` updated. Fields the manager applied before and omits now are
    /// removed unless another manager owns them; changing a field another manager owns is a
    /// conflict unless `force`, which takes the field over. Applying the same configuration
    /// twice returns an equal object (the entry's time only moves when something changed).
    public static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool,
                             strategies: PatchStrategies, now: String) throws(ApplyConflict) -> JSONValue {
        try apply(applied, to: live, manager: manager, force: force, strategies: strategies, now: now, subresource: nil, ignoredFields: [])
    }

    /// As `apply`, for a subresource (`status`) and with paths the endpoint resets and so does not
    /// track (e.g. `[["status"]]` on the main resource of a kind with a status subresource).
    public static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool,
                             strategies: PatchStrategies, now: String, subresource: String?,
                             ignoredFields: [[String]]) throws(ApplyConflict) -> JSONValue {
        var result: JSONValue
        do {
            result = try applyTrackingFields(applied, to: live, manager: manager, force: force, strategies: strategies,
                                             now: now, subresource: subresource, ignoredFields: ignoredFields)
        } catch {
            // kubectl moving from client-side to server-side apply may take over fields whose live
            // values still match its last-applied annotation.
            guard manager == LastApplied.kubectlManager, let live,
                  let allowed = LastApplied.unchangedFields(of: live, shape: ApplyShape.root(strategies)) else { throw error }
            let remaining = error.conflicts.filter { !allowed.contains($0.path[...]) }
            guard remaining.isEmpty else { throw ApplyConflict(remaining) }
            result = try applyTrackingFields(applied, to: live, manager: manager, force: true, strategies: strategies,
                                             now: now, subresource: subresource, ignoredFields: ignoredFields)
        }
        if manager == LastApplied.kubectlManager {
            result = LastApplied.refreshing(result, with: applied)
        }
        return result
    }

    private static func applyTrackingFields(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool,
                                            strategies: PatchStrategies, now: String, subresource: String?,
                                            ignoredFields: [[String]]) throws(ApplyConflict) -> JSONValue {
        let shape = ApplyShape.root(strategies)
        let ignored = fieldSet(ignoredFields)
        let apiVersion = applied["apiVersion"]?.stringValue ?? live?["apiVersion"]?.stringValue ?? ""
        let liveObject = live.map(ManagedFields.withoutManagedFields) ?? .object([:])
        var entries = live.flatMap(ManagedFields.entries(of:)) ?? []
        if let live, ManagedFields.entries(of: live)?.isEmpty ?? true {
            // An object nobody tracked yet: what it holds belongs to a placeholder manager, as
            // the API server does before the first apply.
            let existing = ManagedFields.stripped(
                ApplyComparison(from: zeroValue(like: liveObject), to: liveObject, shape: shape).changed, ignoring: ignored)
            if !existing.isEmpty {
                entries = [ManagedFieldsEntry(manager: "before-first-apply", operation: .update,
                                              apiVersion: live["apiVersion"]?.stringValue ?? apiVersion,
                                              time: now, subresource: subresource, fields: existing)]
            }
        }
        let config = ManagedFields.withoutManagedFields(applied)

        let identity = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: apiVersion, time: nil,
                                          subresource: subresource, fields: FieldSet()).identity
        let previousIndex = entries.firstIndex { $0.identity == identity }
        let previousSet = previousIndex.map { entries[$0].fields } ?? FieldSet()
        let appliedSet = ManagedFields.stripped(ApplyFieldSetBuilder.fieldSet(of: config, shape: shape), ignoring: ignored)

        var merged = ApplyMerge.merge(liveObject, config, shape: shape) ?? config
        if !previousSet.isEmpty {
            var owned = appliedSet
            for entry in entries where entry.identity != identity { owned = owned.union(entry.fields) }
            merged = ApplyPrune.prune(merged, previous: previousSet, owned: owned, shape: shape)
        }

        let comparison = ApplyComparison(from: liveObject, to: merged, shape: shape)
        let changed = ManagedFields.stripped(comparison.changed, ignoring: ignored)
        var conflicts: [ApplyConflict.Conflict] = []
        for entry in entries where entry.identity != identity {
            let contested = entry.fields.intersection(changed)
            for path in contested.paths() {
                conflicts.append(.init(manager: entry.manager, managerDescription: entry.displayName, path: path))
            }
        }
        if !conflicts.isEmpty && !force { throw ApplyConflict(conflicts) }

        let isNoOp = live != nil && merged == liveObject
        var updated: [ManagedFieldsEntry] = []
        for var entry in entries where entry.identity != identity {
            entry.fields = entry.fields.difference(changed).difference(comparison.removed)
            if !entry.fields.isEmpty { updated.append(entry) }
        }
        let previousTime = previousIndex.flatMap { entries[$0].time }
        if !appliedSet.isEmpty {
            updated.append(ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: apiVersion,
                                              time: isNoOp ? (previousTime ?? now) : now, subresource: subresource, fields: appliedSet))
        }
        return ManagedFields.setting(updated, on: merged)
    }

    /// Records an ordinary write (create, update, patch) by `manager`: the fields it set or
    /// changed become its own (operation Update) and leave other managers; removed fields leave
    /// everyone. `old` nil means create. The entries come from `new` when it carries some, else
    /// from `old` (so clients that drop the field lose nothing); `[{}]` resets them.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, apiVersion: String, now: String) -> JSONValue {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: new["kind"]?.stringValue ?? old?["kind"]?.stringValue ?? "")
        return recordUpdate(old: old, new: new, manager: manager, apiVersion: apiVersion, now: now,
                            strategies: PatchStrategies.builtIn(group: gvk.group, kind: gvk.kind), subresource: nil, ignoredFields: [])
    }

    /// As `recordUpdate`, with the kind's strategies given, for a subresource, and ignoring paths
    /// the endpoint resets.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, apiVersion: String, now: String,
                                    strategies: PatchStrategies, subresource: String?, ignoredFields: [[String]]) -> JSONValue {
        let shape = ApplyShape.root(strategies)
        let ignored = fieldSet(ignoredFields)
        var entries = ManagedFields.entriesForWrite(old: old, new: new, subresource: subresource)
        let before = old.map(ManagedFields.withoutManagedFields) ?? zeroValue(like: new)
        let after = ManagedFields.withoutManagedFields(new)
        let comparison = ApplyComparison(from: before, to: after, shape: shape)
        let changed = ManagedFields.stripped(comparison.changed, ignoring: ignored)

        let identity = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion, time: nil,
                                          subresource: subresource, fields: FieldSet()).identity
        var own = FieldSet()
        var ownTime: String?
        var updated: [ManagedFieldsEntry] = []
        for var entry in entries {
            if entry.identity == identity {
                own = entry.fields.difference(comparison.removed)
                ownTime = entry.time
                continue
            }
            entry.fields = entry.fields.difference(changed).difference(comparison.removed)
            if !entry.fields.isEmpty { updated.append(entry) }
        }
        entries = updated
        if !changed.isEmpty {
            own = own.union(changed)
            ownTime = now
        }
        if !own.isEmpty {
            entries.append(ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: apiVersion, time: ownTime ?? now,
                                              subresource: subresource, fields: own))
        }
        return ManagedFields.setting(ManagedFields.capped(entries), on: new)
    }

    private static func fieldSet(_ paths: [[String]]) -> FieldSet {
        var set = FieldSet()
        for path in paths where !path.isEmpty { set.insert(path.map(PathElement.field)[...]) }
        return set
    }

    /// What a new object is compared with on create: the empty shell a typed Go object has
    /// (`spec`, `status` and a workload's pod template exist, empty), so that creating does not
    /// mark those containers themselves as set, as in Kubernetes' managed fields.
    static func zeroValue(like object: JSONValue) -> JSONValue {
        var shell: [String: JSONValue] = ["metadata": .object([:])]
        for name in ["spec", "status"] where object[name]?.objectValue != nil {
            shell[name] = .object([:])
        }
        // A pod spec's containers list is never omitted, so it exists (as null) before the first write.
        if object[path: ["spec", "containers"]] != nil {
            shell["spec"] = ["containers": .null]
        }
        if object[path: ["spec", "template"]]?.objectValue != nil {
            shell["spec"] = ["template": ["metadata": .object([:]), "spec": ["containers": .null]]]
        }
        if object[path: ["spec", "strategy"]]?.objectValue != nil {
            shell["spec"]?["strategy"] = .object([:])
        }
        return .object(shell)
    }
}
