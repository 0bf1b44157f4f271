import KubeModel

/// Whether an update changed nothing but the object's status. The controller writes the status
/// of Gateway API objects and Ingresses itself, and translation never reads it back, so such an
/// update (most often the echo of its own write) needs no reconcile; reacting to it would keep
/// the debounce window busy and delay the next real change. Labels and annotations count as
/// changes: Ingress annotations steer translation without bumping `generation`.
enum StatusOnlyChange {
    static func matches(old: JSONValue, new: JSONValue) -> Bool {
        withoutStatus(old) == withoutStatus(new)
    }

    private static func withoutStatus(_ object: JSONValue) -> JSONValue {
        var object = object
        object["status"] = nil
        object[path: ["metadata", "resourceVersion"]] = nil
        object[path: ["metadata", "managedFields"]] = nil
        return object
    }
}
