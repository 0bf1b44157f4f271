import Injection
import KubeModel

/// Which pods should carry the sidecar but do not: pods admitted while the webhook was down
/// (with `failurePolicy: Ignore`) or created before their namespace was labelled. They run
/// outside the mesh — no mTLS, no identity — and must be reported, never left silently unmeshed.
public enum MeshCoverage {
    /// Annotation the kubelet sets on mirror pods of static pods; no webhook can change those.
    static let mirrorAnnotation = "kubernetes.io/config.mirror"

    /// True for a pod that the injector would have given a sidecar and that has none.
    /// - Parameter namespaceLabels: the labels of the pod's namespace.
    public static func isUnmeshed(_ pod: JSONValue, namespaceLabels: [String: String], controlPlaneNamespace: String) -> Bool {
        guard let namespace = pod[path: ["metadata", "namespace"]]?.stringValue,
              namespaceLabels[MeshConventions.meshLabel] == MeshConventions.meshLabelEnabled,
              !MeshConventions.systemNamespaces.contains(namespace), namespace != controlPlaneNamespace else { return false }
        guard pod[path: ["spec", "hostNetwork"]]?.boolValue != true,
              pod[path: ["metadata", "deletionTimestamp"]] == nil else { return false }
        let annotations = pod[path: ["metadata", "annotations"]]
        guard annotations?[MeshConventions.injectAnnotation]?.stringValue != "false",
              annotations?[mirrorAnnotation] == nil else { return false }
        // A finished pod carries no traffic any more.
        if let phase = pod[path: ["status", "phase"]]?.stringValue, phase == "Succeeded" || phase == "Failed" { return false }
        return !hasProxy(pod)
    }

    /// Whether the pod has the proxy, as a native sidecar (init container) or a classic one.
    public static func hasProxy(_ pod: JSONValue) -> Bool {
        for list in ["initContainers", "containers"] {
            for container in pod[path: ["spec", list]]?.arrayValue ?? []
            where container["name"]?.stringValue == MeshConventions.proxyContainerName {
                return true
            }
        }
        return false
    }

    /// What the reporter keeps of each pod: enough for `isUnmeshed`, an Event and a log line, so
    /// the leader's pod cache stays small in a cluster of many pods.
    public static func slim(_ pod: JSONValue) -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for key in ["name", "namespace", "uid", "resourceVersion", "generateName", "deletionTimestamp"] {
            if let value = pod[path: ["metadata", key]] { metadata[key] = value }
        }
        if let annotations = pod[path: ["metadata", "annotations"]]?.objectValue {
            let kept = annotations.filter { $0.key == MeshConventions.injectAnnotation || $0.key == mirrorAnnotation }
            if !kept.isEmpty { metadata["annotations"] = .object(kept) }
        }
        var spec: [String: JSONValue] = [:]
        if let hostNetwork = pod[path: ["spec", "hostNetwork"]] { spec["hostNetwork"] = hostNetwork }
        for list in ["initContainers", "containers"] {
            if let containers = pod[path: ["spec", list]]?.arrayValue {
                spec[list] = .array(containers.map { ["name": $0["name"] ?? .null] })
            }
        }
        var slim: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": .object(spec)]
        if let phase = pod[path: ["status", "phase"]] { slim[path: ["status", "phase"]] = phase }
        return slim
    }
}
