import KubeModel
import APIMachinery

/// Services keep their cluster IP for life (it is assigned when the Service is stored, see
/// `APIServer.assigningClusterIP`); defaults and validation are `APIMachinery`'s.
struct ServiceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        let type = object[path: ["spec", "type"]]?.stringValue
        // An update that leaves the allocated address out keeps it (the real server's
        // patchAllocatedValues); one that names a different address is refused in validation.
        if let old, let ip = old[path: ["spec", "clusterIP"]] {
            if (object[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty {
                object[path: ["spec", "clusterIP"]] = ip
            }
            if (object[path: ["spec", "clusterIPs"]]?.arrayValue ?? []).isEmpty {
                object[path: ["spec", "clusterIPs"]] = old[path: ["spec", "clusterIPs"]]
            }
        }
        if type != "ExternalName" {
            object.setDefault(["spec", "ipFamilies"], ["IPv4"])
            object.setDefault(["spec", "ipFamilyPolicy"], "SingleStack")
        }
    }
}
