import KubeModel

/// JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge member by member,
/// `null` deletes, anything else (arrays included) replaces.
public enum JSONMergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = target.objectValue ?? [:]
        for (key, value) in patchMembers {
            if value.isNull {
                result.removeValue(forKey: key)
            } else {
                let existing = result.removeValue(forKey: key) ?? .null
                result[key] = apply(value, to: existing)
            }
        }
        return .object(result)
    }

    /// A merge patch that turns `original` into `modified`: changed members only, `null` for
    /// removed ones; non-objects (and arrays) are replaced whole.
    public static func diff(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch: [String: JSONValue] = [:]
        for (key, newValue) in new {
            guard let oldValue = old[key] else {
                patch[key] = newValue
                continue
            }
            if oldValue == newValue && oldValue.typeName == newValue.typeName { continue }
            if case .object = oldValue, case .object = newValue {
                let nested = diff(from: oldValue, to: newValue)
                if nested != .object([:]) { patch[key] = nested }
            } else {
                patch[key] = newValue
            }
        }
        for key in old.keys where new[key] == nil {
            patch[key] = .null
        }
        return .object(patch)
    }
}
