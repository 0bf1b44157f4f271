import KubeTypes

/// Lookups over a snapshot, built once per translation so that rules read by key, not by scan.
struct SnapshotIndex {
    let services: [String: Service]
    /// EndpointSlices by the `namespace/name` of the Service they belong to, sorted by name.
    let slicesByService: [String: [EndpointSlice]]
    let secrets: [String: Secret]
    let namespaceLabels: [String: [String: String]]
    let grantsByNamespace: [String: [GatewayAPI.ReferenceGrant]]
    let gatewayConfigs: [String: GatewayConfig]

    init(_ snapshot: ResourceSnapshot) {
        services = Dictionary(snapshot.services.map { ($0.metadata.key, $0) }, uniquingKeysWith: { a, _ in a })
        var slices: [String: [EndpointSlice]] = [:]
        for slice in snapshot.endpointSlices {
            guard let service = slice.serviceName, let namespace = slice.metadata.namespace else { continue }
            slices["\(namespace)/\(service)", default: []].append(slice)
        }
        slicesByService = slices.mapValues { $0.sorted { $0.metadata.name < $1.metadata.name } }
        secrets = Dictionary(snapshot.secrets.map { ($0.metadata.key, $0) }, uniquingKeysWith: { a, _ in a })
        namespaceLabels = Dictionary(
            snapshot.namespaces.map { namespace in
                // The API server sets this label on every namespace; add it for snapshots written by hand.
                var labels = namespace.metadata.labels ?? [:]
                labels[Namespace.nameLabel] = namespace.metadata.name
                return (namespace.metadata.name, labels)
            }, uniquingKeysWith: { a, _ in a })
        grantsByNamespace = Dictionary(grouping: snapshot.referenceGrants, by: { $0.metadata.namespace ?? "" })
        gatewayConfigs = Dictionary(snapshot.gatewayConfigs.map { ($0.metadata.key, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Labels of a namespace; a namespace absent from the snapshot has only its name label.
    func labels(ofNamespace name: String) -> [String: String] {
        namespaceLabels[name] ?? [Namespace.nameLabel: name]
    }

    /// Whether an object may refer to another across namespaces (GEP-709): always within one
    /// namespace, otherwise only when a ReferenceGrant in the target's namespace allows it.
    func referenceAllowed(from: (group: String, kind: String, namespace: String),
                          to: (group: String, kind: String, namespace: String, name: String)) -> Bool {
        if from.namespace == to.namespace { return true }
        for grant in grantsByNamespace[to.namespace] ?? [] {
            let fromMatches = grant.spec.from.contains {
                $0.group == from.group && $0.kind == from.kind && $0.namespace == from.namespace
            }
            guard fromMatches else { continue }
            let toMatches = grant.spec.to.contains {
                $0.group == to.group && $0.kind == to.kind && ($0.name == nil || $0.name == "" || $0.name == to.name)
            }
            if toMatches { return true }
        }
        return false
    }
}
