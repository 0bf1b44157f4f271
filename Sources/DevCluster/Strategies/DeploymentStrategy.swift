import KubeModel
import APIMachinery

/// Deployments get the apps/v1 defaults of the real API server.
struct DeploymentStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        object.setDefault(["spec", "replicas"], 1)
        object.setDefault(["spec", "revisionHistoryLimit"], 10)
        object.setDefault(["spec", "progressDeadlineSeconds"], 600)
        object.setDefault(["spec", "strategy", "type"], "RollingUpdate")
        if object[path: ["spec", "strategy", "type"]]?.stringValue == "RollingUpdate" {
            object.setDefault(["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            object.setDefault(["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
        }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        if object[path: ["spec", "selector"]] == nil {
            errors.append(FieldError(kind: .required, field: "spec.selector", badValue: nil, detail: ""))
        }
        if let replicas = object[path: ["spec", "replicas"]]?.intValue, replicas < 0 {
            errors.append(FieldError(kind: .invalid, field: "spec.replicas", badValue: .int(replicas),
                                     detail: "must be greater than or equal to 0"))
        }
        return errors
    }
}
