import KubeModel

/// The writes that turn a Service's existing managed slices into the desired ones: a slice with
/// the same ports is updated in place (only if its content differs), one no longer needed is
/// rewritten with content that would otherwise need a new slice, missing ones are created, the
/// rest deleted. Slices owned by another Service of the same name (an earlier incarnation) are
/// deleted, never reused.
struct EndpointSlicePlan {
    var creates: [EndpointSliceDesired.Slice] = []
    var updates: [(existing: JSONValue, desired: EndpointSliceDesired.Slice)] = []
    var deletes: [JSONValue] = []

    init(desired: [EndpointSliceDesired.Slice], existing: [JSONValue], service: JSONValue) {
        let serviceUID = service[path: ["metadata", "uid"]]?.stringValue ?? ""
        let labels = EndpointSliceDesired.labels(for: service)
        var reusable: [JSONValue: [JSONValue]] = [:]
        let ordered = existing.sorted { (ObjectMetaRules.name($0) ?? "") < (ObjectMetaRules.name($1) ?? "") }
        for slice in ordered {
            let owned = OwnerReference.all(of: slice).contains { $0.uid == serviceUID && $0.controller }
            if owned, slice["addressType"]?.stringValue == "IPv4" {
                reusable[EndpointSliceDesired.normalizedPorts(slice["ports"]), default: []].append(slice)
            } else {
                deletes.append(slice)
            }
        }
        for slice in desired {
            if var candidates = reusable[slice.ports], !candidates.isEmpty {
                let existing = candidates.removeFirst()
                reusable[slice.ports] = candidates
                if EndpointSliceDesired.applying(slice, labels: labels, to: existing) != existing {
                    updates.append((existing, slice))
                }
            } else {
                creates.append(slice)
            }
        }
        // A slice about to be deleted takes a new content instead of a new slice being created:
        // fewer writes and stable names (but never one of an earlier Service).
        var leftovers = reusable.values.flatMap { $0 }.sorted { (ObjectMetaRules.name($0) ?? "") < (ObjectMetaRules.name($1) ?? "") }
        while !creates.isEmpty, !leftovers.isEmpty {
            updates.append((leftovers.removeFirst(), creates.removeLast()))
        }
        deletes += leftovers
    }

    var isEmpty: Bool { creates.isEmpty && updates.isEmpty && deletes.isEmpty }
}
