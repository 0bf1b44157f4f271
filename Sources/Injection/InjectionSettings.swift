/// How the mesh injects pods: the operator's choices, the same for every pod. Per-pod changes
/// come from the pod's annotations (see `PodMeshOptions`).
public struct InjectionSettings: Sendable, Hashable {
    /// The Causeway image; both injected containers run its one binary.
    public var image: String
    public var imagePullPolicy: String
    /// Where sidecars stream their configuration from (`https://host:port`).
    public var controlPlaneURL: String
    /// The control plane's own namespace, never injected: its pods must start without the mesh.
    public var controlPlaneNamespace: String
    /// Native sidecars (the proxy as an init container with `restartPolicy: Always`, Kubernetes
    /// 1.29+) — false for the classic sidecar, the proxy first among the pod's containers.
    public var nativeSidecars: Bool
    /// The proxy's log level unless the pod's `causeway.dev/log-level` says otherwise.
    public var logLevel: String
    /// The proxy's resources (Kubernetes quantities); a nil limit sets none. Pods override each
    /// with the `causeway.dev/proxy-*` annotations.
    public var proxyCPURequest: String
    public var proxyMemoryRequest: String
    public var proxyCPULimit: String?
    public var proxyMemoryLimit: String?
    /// Written into the `causeway.dev/injected` annotation of every injected pod.
    public var injectorVersion: String

    public init(image: String = "causeway:0.1.0", imagePullPolicy: String = "IfNotPresent",
                controlPlaneURL: String = "https://causeway-controller.causeway-system.svc:15010",
                controlPlaneNamespace: String = "causeway-system", nativeSidecars: Bool = true, logLevel: String = "info",
                proxyCPURequest: String = "50m", proxyMemoryRequest: String = "32Mi",
                proxyCPULimit: String? = nil, proxyMemoryLimit: String? = "256Mi",
                injectorVersion: String = "v1") {
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.controlPlaneURL = controlPlaneURL
        self.controlPlaneNamespace = controlPlaneNamespace
        self.nativeSidecars = nativeSidecars
        self.logLevel = logLevel
        self.proxyCPURequest = proxyCPURequest
        self.proxyMemoryRequest = proxyMemoryRequest
        self.proxyCPULimit = proxyCPULimit
        self.proxyMemoryLimit = proxyMemoryLimit
        self.injectorVersion = injectorVersion
    }
}
