import KubeModel
import APIMachinery

/// Pods get the defaults the real API server sets, and start Pending (no scheduler runs here:
/// tests and `causeway dev` set status through the status subresource).
struct PodStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        object.setDefault(["spec", "restartPolicy"], "Always")
        object.setDefault(["spec", "dnsPolicy"], "ClusterFirst")
        object.setDefault(["spec", "schedulerName"], "default-scheduler")
        object.setDefault(["spec", "terminationGracePeriodSeconds"], 30)
        object.setDefault(["spec", "securityContext"], [:])
        for field in ["containers", "initContainers"] {
            guard var containers = object[path: ["spec", field]]?.arrayValue else { continue }
            for index in containers.indices {
                let image = containers[index]["image"]?.stringValue ?? ""
                let tagged = image.split(separator: "/").last.map { $0.contains(":") || $0.contains("@") } ?? false
                let latest = !tagged || image.hasSuffix(":latest")
                containers[index].setDefault(["imagePullPolicy"], latest ? "Always" : "IfNotPresent")
                containers[index].setDefault(["terminationMessagePath"], "/dev/termination-log")
                containers[index].setDefault(["terminationMessagePolicy"], "File")
                containers[index].setDefault(["resources"], [:])
            }
            object[path: ["spec", field]] = .array(containers)
        }
        if old == nil, object["status"] == nil { object["status"] = ["phase": "Pending", "qosClass": "BestEffort"] }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        let containers = object[path: ["spec", "containers"]]?.arrayValue ?? []
        var errors: [FieldError] = []
        if containers.isEmpty { errors.append(FieldError(kind: .required, field: "spec.containers", badValue: nil, detail: "")) }
        for (index, container) in containers.enumerated() {
            if container["name"]?.stringValue?.isEmpty ?? true {
                errors.append(FieldError(kind: .required, field: "spec.containers[\(index)].name", badValue: nil, detail: ""))
            }
            if container["image"]?.stringValue?.isEmpty ?? true {
                errors.append(FieldError(kind: .required, field: "spec.containers[\(index)].image", badValue: nil, detail: ""))
            }
        }
        return errors
    }
}
