import KubeModel

/// What injection did with a pod.
public enum InjectionOutcome: Sendable, Equatable {
    /// The pod with the mesh's containers, volumes and annotation added.
    case injected(JSONValue)
    /// The pod is left as it is; `reason` says why, for logs and `causeway inject`.
    case unchanged(reason: String)
}
