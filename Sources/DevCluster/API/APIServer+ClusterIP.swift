import KubeModel
import APIMachinery

extension APIServer {
    /// Gives a Service being stored its cluster IP: the one it asked for if free, else the
    /// lowest free one. Runs inside the store's commit, so a write that fails earlier (invalid,
    /// conflict, dry run) takes no address.
    func assigningClusterIP(_ definition: ResourceDefinition, _ mutation: ObjectStore.Mutation,
                            old: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation {
        guard definition.group.isEmpty, definition.resource == "services", case .put(var object) = mutation,
              old?[path: ["spec", "clusterIP"]] == nil,
              object[path: ["spec", "type"]]?.stringValue != "ExternalName",
              object[path: ["spec", "clusterIP"]]?.stringValue != "None" else { return mutation }
        if let requested = object[path: ["spec", "clusterIP"]]?.stringValue, !requested.isEmpty {
            guard clusterIPs.reserve(requested) else {
                throw APIErrors.invalid(definition, name: ObjectMetaRules.name(object) ?? "", [
                    FieldError(kind: .invalid, field: "spec.clusterIPs", badValue: .array([.string(requested)]),
                               detail: "failed to allocate IP \(requested): provided IP is already allocated"),
                ])
            }
        } else {
            guard let ip = clusterIPs.allocate() else {
                throw APIErrors.internalError("failed to allocate a cluster IP: the service range is full")
            }
            object[path: ["spec", "clusterIP"]] = .string(ip)
        }
        object[path: ["spec", "clusterIPs"]] = [object[path: ["spec", "clusterIP"]] ?? .null]
        return .put(object)
    }

    /// Everything the registry allocates for a Service being stored: its cluster IP and node ports.
    func allocatingServiceAddresses(_ definition: ResourceDefinition, _ mutation: ObjectStore.Mutation,
                                    old: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation {
        try assigningNodePorts(definition, assigningClusterIP(definition, mutation, old: old), old: old)
    }
}
