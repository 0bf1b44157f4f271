import KubeModel

/// The defaults the API server fills into built-in kinds on create and update (the
/// `SetDefaults_*` functions of the core, apps and batch groups, and what admission adds to
/// every pod), so `kubectl get -o yaml` reads the same as against a real cluster. Kinds not
/// listed come back unchanged. Allocations (cluster IPs, node ports) are the server's, not here.
public enum BuiltInDefaults {
    public static func applying(to object: JSONValue) -> JSONValue {
        let gvk = GroupVersionKind(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "")
        var result = object
        switch (gvk.group, gvk.kind) {
        case ("", "Pod"):
            result = pod(result)
        case ("", "PodTemplate"):
            result = template(result, at: ["template"])
        case ("", "ReplicationController"):
            result = defaults(result, at: ["spec"], ["replicas": 1])
            // The selector and the controller's labels come from the template's labels when unset.
            if let labels = result[path: ["spec", "template", "metadata", "labels"]], labels.objectValue?.isEmpty == false {
                if result[path: ["spec", "selector"]]?.objectValue?.isEmpty ?? true { result[path: ["spec", "selector"]] = labels }
                if result[path: ["metadata", "labels"]]?.objectValue?.isEmpty ?? true { result[path: ["metadata", "labels"]] = labels }
            }
            result = template(result, at: ["spec", "template"])
        case ("apps", "Deployment"):
            result = defaults(result, at: ["spec"], ["replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600])
            if result[path: ["spec", "strategy", "type"]] == nil { result[path: ["spec", "strategy", "type"]] = "RollingUpdate" }
            if result[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                result = defaults(result, at: ["spec", "strategy", "rollingUpdate"], ["maxSurge": "25%", "maxUnavailable": "25%"])
            }
            result = template(result, at: ["spec", "template"])
        case ("apps", "ReplicaSet"):
            result = defaults(result, at: ["spec"], ["replicas": 1])
            result = template(result, at: ["spec", "template"])
        case ("apps", "StatefulSet"):
            result = defaults(result, at: ["spec"], ["replicas": 1, "revisionHistoryLimit": 10, "podManagementPolicy": "OrderedReady"])
            if result[path: ["spec", "updateStrategy", "type"]] == nil { result[path: ["spec", "updateStrategy", "type"]] = "RollingUpdate" }
            if result[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                result = defaults(result, at: ["spec", "updateStrategy", "rollingUpdate"], ["partition": 0])
            }
            result = defaults(result, at: ["spec", "persistentVolumeClaimRetentionPolicy"], ["whenDeleted": "Retain", "whenScaled": "Retain"])
            result = template(result, at: ["spec", "template"])
        case ("apps", "DaemonSet"):
            result = defaults(result, at: ["spec"], ["revisionHistoryLimit": 10])
            if result[path: ["spec", "updateStrategy", "type"]] == nil { result[path: ["spec", "updateStrategy", "type"]] = "RollingUpdate" }
            if result[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                result = defaults(result, at: ["spec", "updateStrategy", "rollingUpdate"], ["maxSurge": 0, "maxUnavailable": 1])
            }
            result = template(result, at: ["spec", "template"])
        case ("batch", "Job"):
            result = job(result, at: ["spec"])
        case ("batch", "CronJob"):
            result = defaults(result, at: ["spec"], ["concurrencyPolicy": "Allow", "suspend": false,
                                                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1])
            // Job-level defaults belong to Jobs; a CronJob's template only gets pod defaults.
            result = template(result, at: ["spec", "jobTemplate", "spec", "template"])
        case ("", "Service"):
            result = service(result)
        case ("", "Namespace"):
            result = defaults(result, at: ["spec"], ["finalizers": ["kubernetes"]])
            result = defaults(result, at: ["status"], ["phase": "Active"])
            if let name = result[path: ["metadata", "name"]]?.stringValue {
                result[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            }
        case ("", "Secret"):
            if result["type"] == nil { result["type"] = "Opaque" }
        default:
            break
        }
        return result
    }

    /// Sets each missing member of the object at `path` (creating it when absent).
    private static func defaults(_ object: JSONValue, at path: [String], _ values: [String: JSONValue]) -> JSONValue {
        var result = object
        var target = result[path: path]?.objectValue ?? [:]
        for (key, value) in values { PodDefaults.setIfMissing(&target, key, value) }
        result[path: path] = .object(target)
        return result
    }

    private static func template(_ object: JSONValue, at path: [String]) -> JSONValue {
        guard let spec = object[path: path + ["spec"]] else { return object }
        var result = object
        result[path: path + ["spec"]] = PodDefaults.podSpec(spec)
        return result
    }

    private static func job(_ object: JSONValue, at path: [String]) -> JSONValue {
        guard object[path: path]?.objectValue != nil else { return object }
        var result = defaults(object, at: path, ["backoffLimit": 6, "completionMode": "NonIndexed", "suspend": false,
                                                 "podReplacementPolicy": "TerminatingOrFailed"])
        // completions and parallelism default to 1 together, or parallelism alone when
        // completions is set.
        let spec = result[path: path]?.objectValue ?? [:]
        if spec["completions"] == nil && spec["parallelism"] == nil {
            result[path: path + ["completions"]] = 1
            result[path: path + ["parallelism"]] = 1
        } else if spec["parallelism"] == nil {
            result[path: path + ["parallelism"]] = 1
        }
        return template(result, at: path + ["template"])
    }

    private static func pod(_ object: JSONValue) -> JSONValue {
        guard var spec = object["spec"]?.objectValue else { return object }
        var result = object
        // What admission adds to every pod: the default service account, scheduling priority,
        // service links and the not-ready/unreachable tolerations.
        PodDefaults.setIfMissing(&spec, "enableServiceLinks", true)
        PodDefaults.setIfMissing(&spec, "priority", 0)
        PodDefaults.setIfMissing(&spec, "preemptionPolicy", "PreemptLowerPriority")
        PodDefaults.setIfMissing(&spec, "serviceAccountName", "default")
        spec["serviceAccount"] = spec["serviceAccountName"]
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        where !tolerations.contains(where: { $0["key"]?.stringValue == key && $0["effect"] == "NoExecute" }) {
            tolerations.append(["effect": "NoExecute", "key": .string(key), "operator": "Exists", "tolerationSeconds": 300])
        }
        spec["tolerations"] = .array(tolerations)
        result["spec"] = PodDefaults.podSpec(.object(spec))
        if result["status"]?.objectValue?.isEmpty ?? true {
            result["status"] = ["phase": "Pending", "qosClass": .string(qosClass(of: result["spec"] ?? .null))]
        }
        return result
    }

    /// Guaranteed when every container has equal CPU and memory requests and limits, BestEffort
    /// when none sets any, Burstable otherwise.
    static func qosClass(of spec: JSONValue) -> String {
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        var anySet = false
        var guaranteed = true
        for container in containers {
            let requests = container[path: ["resources", "requests"]]?.objectValue ?? [:]
            let limits = container[path: ["resources", "limits"]]?.objectValue ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else { guaranteed = false; continue }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    private static func service(_ object: JSONValue) -> JSONValue {
        var result = defaults(object, at: ["spec"], ["type": "ClusterIP", "sessionAffinity": "None"])
        let type = result[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        if type != "ExternalName" {
            result = defaults(result, at: ["spec"], ["internalTrafficPolicy": "Cluster"])
        }
        if type == "NodePort" || type == "LoadBalancer" {
            result = defaults(result, at: ["spec"], ["externalTrafficPolicy": "Cluster"])
        }
        if type == "LoadBalancer" {
            result = defaults(result, at: ["spec"], ["allocateLoadBalancerNodePorts": true])
        }
        if result[path: ["spec", "sessionAffinity"]] == "ClientIP" {
            result = defaults(result, at: ["spec", "sessionAffinityConfig", "clientIP"], ["timeoutSeconds": 10800])
        }
        if case .array(let ports)? = result[path: ["spec", "ports"]] {
            result[path: ["spec", "ports"]] = .array(ports.map { port in
                guard case .object(var fields) = port else { return port }
                PodDefaults.setIfMissing(&fields, "protocol", "TCP")
                if fields["targetPort"] == nil || fields["targetPort"] == 0 || fields["targetPort"] == "", let port = fields["port"] {
                    fields["targetPort"] = port
                }
                return .object(fields)
            })
        }
        if result["status"] == nil { result["status"] = ["loadBalancer": .object([:])] }
        return result
    }
}
