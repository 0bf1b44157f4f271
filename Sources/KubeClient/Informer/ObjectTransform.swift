import KubeModel

/// Trims objects before they enter a cache, so the cache holds only what the controller reads.
public struct ObjectTransform: Sendable {
    public let apply: @Sendable (JSONValue) -> JSONValue

    public init(_ apply: @escaping @Sendable (JSONValue) -> JSONValue) { self.apply = apply }

    public static let identity = ObjectTransform { $0 }

    /// Drops `metadata.managedFields`, usually the largest part of a small object.
    public static let stripManagedFields = strip(paths: [["metadata", "managedFields"]])

    /// Drops the given paths (e.g. `["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]`).
    public static func strip(paths: [[String]]) -> ObjectTransform {
        ObjectTransform { object in
            var object = object
            for path in paths { object.remove(path: path[...]) }
            return object
        }
    }

    /// Applies `self`, then `next`.
    public func then(_ next: ObjectTransform) -> ObjectTransform {
        let first = apply
        return ObjectTransform { next.apply(first($0)) }
    }
}

extension JSONValue {
    mutating func remove(path: ArraySlice<String>) {
        guard let key = path.first, case .object(var fields) = self, fields[key] != nil else { return }
        // Release our own reference first so `fields` is unique and is edited in place, not copied.
        self = .null
        if path.count == 1 {
            fields.removeValue(forKey: key)
        } else {
            var child = fields.removeValue(forKey: key)!
            child.remove(path: path.dropFirst())
            fields[key] = child
        }
        self = .object(fields)
    }
}
