import KubeModel

/// The closed sets of a pod spec's policy fields, which the real server refuses to extend:
/// `restartPolicy`, `dnsPolicy` and each container's `imagePullPolicy`.
enum PodSpecEnums {
    static func errors(_ podSpec: JSONValue, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        if let policy = podSpec["restartPolicy"]?.stringValue, !["Always", "OnFailure", "Never"].contains(policy) {
            errors.append(.notSupported("\(field).restartPolicy", .string(policy), supported: ["Always", "OnFailure", "Never"]))
        }
        let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
        if let policy = podSpec["dnsPolicy"]?.stringValue, !dnsPolicies.contains(policy) {
            errors.append(.notSupported("\(field).dnsPolicy", .string(policy), supported: dnsPolicies))
        }
        for list in ["initContainers", "containers"] {
            for (index, container) in (podSpec[list]?.arrayValue ?? []).enumerated() {
                if let pull = container["imagePullPolicy"]?.stringValue, !["Always", "IfNotPresent", "Never"].contains(pull) {
                    errors.append(.notSupported("\(field).\(list)[\(index)].imagePullPolicy", .string(pull),
                                                supported: ["Always", "IfNotPresent", "Never"]))
                }
            }
        }
        return errors
    }
}
