import KubeModel

/// Reading the parts of a pod the injector looks at, tolerant of missing fields (a workload's
/// pod template has no name or namespace; most pods have no init containers).
enum PodShape {
    static func containers(_ pod: JSONValue, _ list: String) -> [JSONValue] {
        pod[path: ["spec", list]]?.arrayValue ?? []
    }

    static func containerNames(_ pod: JSONValue, _ list: String) -> [String] {
        containers(pod, list).compactMap { $0["name"]?.stringValue }
    }

    /// String annotations; values of other types (invalid in Kubernetes) are ignored.
    static func annotations(_ pod: JSONValue) -> [String: String] {
        (pod[path: ["metadata", "annotations"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    static func volumeNames(_ pod: JSONValue) -> [String] {
        (pod[path: ["spec", "volumes"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    /// A native sidecar the user declared: an init container that keeps running.
    static func isRestartable(_ container: JSONValue) -> Bool {
        container["restartPolicy"]?.stringValue == "Always"
    }
}
