import KubeModel

/// Sidecar injection as pure functions: pod → injected pod, then the JSON Patch between them.
/// The webhook and `causeway inject` call the same two functions.
public enum Injector {
    /// The pod with `causeway-init`, `causeway-proxy`, their volumes and the
    /// `causeway.dev/injected` annotation added — or unchanged, with the reason. Nothing the
    /// pod already has is removed or reordered; only the app's HTTP and TCP probes are rewritten
    /// to go through the proxy (see `ProbeRewriter`). Injecting an injected pod changes nothing.
    public static func inject(_ request: InjectionRequest, settings: InjectionSettings) throws(InjectionError) -> InjectionOutcome {
        let pod = request.pod
        guard pod.objectValue != nil else { throw InjectionError("the pod is a JSON \(pod.typeName), not an object") }
        if let reason = try InjectionPolicy.skipReason(request, settings: settings) { return .unchanged(reason: reason) }
        let options = try PodMeshOptions(annotations: PodShape.annotations(pod), settings: settings)
        try checkNames(pod)

        var containers = PodShape.containers(pod, "containers")
        guard !containers.isEmpty else { throw InjectionError("the pod has no containers") }
        let firstAppContainer = containers.first?["name"]?.stringValue
        var initContainers = PodShape.containers(pod, "initContainers")

        var probes = ProbeRewriter(options: options)
        containers = containers.map { probes.rewrite($0) }
        // The user's own native sidecars start after the proxy, so their probes can go through it
        // too. A classic proxy starts after every init container: those probes stay as they are.
        if settings.nativeSidecars {
            initContainers = initContainers.map { PodShape.isRestartable($0) ? probes.rewrite($0) : $0 }
        }

        let capture = CaptureInitContainer.make(options: options, settings: settings)
        let proxy = ProxyContainer.make(namespace: request.namespace, options: options, settings: settings,
                                        appProbes: probes.environmentValue)
        var injected = pod
        var annotations = pod[path: ["metadata", "annotations"]]?.objectValue ?? [:]
        annotations[MeshConventions.injectedAnnotation] = .string(settings.injectorVersion)
        if settings.nativeSidecars {
            // Capture first, then the proxy, so the user's init containers run with a network.
            injected[path: ["spec", "initContainers"]] = .array([capture, proxy] + initContainers)
            injected[path: ["spec", "containers"]] = .array(containers)
        } else {
            // Capture last: a classic proxy starts only after every init container, so with
            // capture in place before them, their connections would be redirected to a proxy
            // that is not running yet and fail (a `wait-for-db` loop would never end). They run
            // outside the mesh instead, as they would without it. Native sidecars avoid both.
            injected[path: ["spec", "initContainers"]] = .array(initContainers + [capture])
            injected[path: ["spec", "containers"]] = .array([proxy] + containers)
            // Otherwise `kubectl logs` and `kubectl exec` would pick the proxy, now first.
            if annotations[defaultContainerAnnotation] == nil, let firstAppContainer {
                annotations[defaultContainerAnnotation] = .string(firstAppContainer)
            }
        }
        injected[path: ["spec", "volumes"]] = .array((pod[path: ["spec", "volumes"]]?.arrayValue ?? []) + SidecarVolumes.volumes)
        injected[path: ["metadata", "annotations"]] = .object(annotations)
        return .injected(injected)
    }

    /// RFC 6902 operations whose paths address `original` (what the API server sent), so that
    /// applying them to `original` yields `injected` — and never disturbs fields other webhooks set.
    public static func patch(from original: JSONValue, to injected: JSONValue) -> [JSONValue] {
        var operations: [JSONValue] = []
        JSONDiff.diff(original, injected, path: "", into: &operations)
        return operations
    }

    /// The container `kubectl logs`, `exec` and `attach` use when none is named.
    static let defaultContainerAnnotation = "kubectl.kubernetes.io/default-container"

    /// Names the mesh adds must be free: Kubernetes refuses a pod with two containers or two
    /// volumes of one name, and would blame containers the user never wrote.
    private static func checkNames(_ pod: JSONValue) throws(InjectionError) {
        let initName = MeshConventions.initContainerName
        for list in ["initContainers", "containers", "ephemeralContainers"] where PodShape.containerNames(pod, list).contains(initName) {
            throw InjectionError("the pod already has a container named \(initName) (in spec.\(list)) but no \(MeshConventions.proxyContainerName); "
                + "Causeway's capture init container needs that name: rename the container, or set annotation \(MeshConventions.injectAnnotation): \"false\"")
        }
        let volumes = PodShape.volumeNames(pod)
        for name in SidecarVolumes.names where volumes.contains(name) {
            throw InjectionError("the pod already has a volume named \(name); Causeway's sidecar needs that name: "
                + "rename the volume, or set annotation \(MeshConventions.injectAnnotation): \"false\"")
        }
    }
}
