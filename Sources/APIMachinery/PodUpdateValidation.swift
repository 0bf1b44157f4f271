import KubeModel

/// What an update may change in a running pod's spec (the real server's `ValidatePodUpdate`):
/// container and init-container images, `activeDeadlineSeconds`, added tolerations, and a
/// negative grace period set to 1. Anything else means a new pod.
enum PodUpdateValidation {
    static let updatableFields = [
        "`spec.containers[*].image`", "`spec.initContainers[*].image`", "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]

    static func validate(new: JSONValue, old: JSONValue) -> [FieldError] {
        let oldSpec = old["spec"] ?? .object([:])
        var munged = new["spec"] ?? .object([:])
        for list in ["containers", "initContainers"] {
            let oldItems = oldSpec[list]?.arrayValue ?? []
            guard var items = munged[list]?.arrayValue else { continue }
            if items.count != oldItems.count {
                return [.forbidden("spec.\(list)", "pod updates may not add or remove containers")]
            }
            for index in items.indices { items[index]["image"] = oldItems[index]["image"] }
            munged[list] = .array(items)
        }
        munged["activeDeadlineSeconds"] = oldSpec["activeDeadlineSeconds"]
        var errors: [FieldError] = []
        let oldTolerations = oldSpec["tolerations"]?.arrayValue ?? []
        let newTolerations = munged["tolerations"]?.arrayValue ?? []
        if !oldTolerations.allSatisfy(newTolerations.contains) {
            errors.append(.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"))
        }
        munged["tolerations"] = oldSpec["tolerations"]
        if let previous = oldSpec["terminationGracePeriodSeconds"]?.intValue, previous < 0,
           munged["terminationGracePeriodSeconds"]?.intValue == 1 {
            munged["terminationGracePeriodSeconds"] = oldSpec["terminationGracePeriodSeconds"]
        }
        if munged != oldSpec {
            // The real message ends with a diff of the two specs; naming the changed fields serves the same purpose.
            let changed = changedFields(munged, oldSpec).map { "spec.\($0)" }.joined(separator: ", ")
            errors.append(.forbidden("spec", "pod updates may not change fields other than \(updatableFields.joined(separator: ","))\nchanged: \(changed)"))
        }
        return errors
    }

    /// Top-level spec fields whose values differ.
    private static func changedFields(_ new: JSONValue, _ old: JSONValue) -> [String] {
        let newMembers = new.objectValue ?? [:]
        let oldMembers = old.objectValue ?? [:]
        return Set(newMembers.keys).union(oldMembers.keys).filter { newMembers[$0] != oldMembers[$0] }.sorted()
    }
}
