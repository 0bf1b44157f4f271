import KubeModel
import APIMachinery

/// Namespaces start Active, carry the "kubernetes" finalizer their controller removes, and
/// always have the immutable `kubernetes.io/metadata.name` label.
struct NamespaceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        let name = ObjectMetaRules.name(object) ?? ""
        object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        if let old {
            object[path: ["spec", "finalizers"]] = object[path: ["spec", "finalizers"]] ?? old[path: ["spec", "finalizers"]]
            object["status"] = old["status"]
        } else {
            object[path: ["spec", "finalizers"]] = ["kubernetes"]
            object["status"] = ["phase": "Active"]
        }
    }
}
