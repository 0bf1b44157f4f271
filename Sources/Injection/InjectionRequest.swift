import KubeModel

/// One pod to inject, as the API server sent it, and where it will run.
public struct InjectionRequest: Sendable {
    /// The pod object (or a workload's pod template, which has the same shape).
    public var pod: JSONValue
    /// The namespace the pod is created in (the AdmissionReview's, not the pod's own field,
    /// which is often empty on create).
    public var namespace: String
    /// The namespace's labels; nil when unknown — the webhook's namespaceSelector already let
    /// only opted-in namespaces through, so nil counts as opted in.
    public var namespaceLabels: [String: String]?

    public init(pod: JSONValue, namespace: String, namespaceLabels: [String: String]? = nil) {
        self.pod = pod
        self.namespace = namespace
        self.namespaceLabels = namespaceLabels
    }
}
