import KubeModel
import APIMachinery

/// Namespaces always carry the immutable `kubernetes.io/metadata.name` label, and only the
/// `finalize` subresource changes their `spec.finalizers` (an update keeps the stored ones).
struct NamespaceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        let name = ObjectMetaRules.name(object) ?? ""
        object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
        if let old {
            object[path: ["spec", "finalizers"]] = old[path: ["spec", "finalizers"]]
        }
    }
}
