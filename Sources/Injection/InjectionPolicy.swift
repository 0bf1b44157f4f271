import KubeModel

/// Which pods get a sidecar. Every "no" has a reason a person can act on: the webhook logs it
/// and `causeway inject` prints it.
enum InjectionPolicy {
    /// Why the pod is left unchanged, or nil when it is injected. Checked before the pod's mesh
    /// annotations are validated: a pod that is not injected is never refused over them.
    static func skipReason(_ request: InjectionRequest, settings: InjectionSettings) throws(InjectionError) -> String? {
        let namespace = request.namespace
        if MeshConventions.systemNamespaces.contains(namespace) {
            return "namespace \(namespace) is a Kubernetes system namespace; its pods are never injected"
        }
        if namespace == settings.controlPlaneNamespace {
            return "namespace \(namespace) is the Causeway control plane's; its pods are never injected, so the mesh can always start"
        }
        if let labels = request.namespaceLabels, labels[MeshConventions.meshLabel] != MeshConventions.meshLabelEnabled {
            let wanted = "\(MeshConventions.meshLabel)=\(MeshConventions.meshLabelEnabled)"
            if let other = labels[MeshConventions.meshLabel] {
                return "namespace \(namespace) is not in the mesh: its label \(MeshConventions.meshLabel) is \(quoted(other)), not \(quoted(MeshConventions.meshLabelEnabled))"
            }
            return "namespace \(namespace) is not in the mesh: it has no label \(wanted)"
        }
        let pod = request.pod
        switch pod[path: ["metadata", "annotations", MeshConventions.injectAnnotation]] {
        case nil, .string("true"): break
        case .string("false"):
            return "the pod opts out with annotation \(MeshConventions.injectAnnotation): \"false\""
        case let other?:
            throw InjectionError("annotation \(MeshConventions.injectAnnotation): \(describe(other)) is not valid "
                + "(want \"false\" to keep the pod out of the mesh, or \"true\")")
        }
        if pod[path: ["spec", "hostNetwork"]] == .bool(true) {
            return "the pod uses the node's network (hostNetwork: true); capturing its traffic would capture the node's"
        }
        let proxy = MeshConventions.proxyContainerName
        if PodShape.containerNames(pod, "initContainers").contains(proxy) {
            return "the pod is already injected: it has an init container named \(proxy)"
        }
        if PodShape.containerNames(pod, "containers").contains(proxy) {
            return "the pod is already injected: it has a container named \(proxy)"
        }
        return nil
    }

    private static func describe(_ value: JSONValue) -> String {
        value.stringValue.map(quoted) ?? value.jsonString
    }
}
