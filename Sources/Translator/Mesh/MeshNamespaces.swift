import KubeTypes

/// Which namespaces are in the mesh: labelled `causeway.dev/mesh: enabled`, and not one of the
/// namespaces the injector never touches (their pods get no sidecar, so no config either).
enum MeshNamespaces {
    static let label = "causeway.dev/mesh"
    static let enabled = "enabled"
    static let neverMeshed: Set<String> = ["kube-system", "kube-public", "kube-node-lease"]

    static func meshed(_ snapshot: ResourceSnapshot) -> Set<String> {
        var names: Set<String> = []
        for namespace in snapshot.namespaces where namespace.metadata.labels?[label] == enabled {
            let name = namespace.metadata.name
            if neverMeshed.contains(name) || name == snapshot.settings.controllerNamespace { continue }
            names.insert(name)
        }
        return names
    }
}
