import KubeModel
import APIMachinery

extension APIServer {
    /// Gives a NodePort or LoadBalancer Service being stored a node port for each of its ports, as
    /// the real registry does: a requested port must be free and in range, and ports the Service no
    /// longer uses are given back. (Keeping a port's node port across an update that leaves it out
    /// is `ServiceStrategy`'s, before validation.)
    func assigningNodePorts(_ definition: ResourceDefinition, _ mutation: ObjectStore.Mutation,
                            old: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation {
        guard definition.group.isEmpty, definition.resource == "services", case .put(var object) = mutation else { return mutation }
        let held = Set(old.map(NodePortAllocator.ports) ?? [])
        guard var ports = object[path: ["spec", "ports"]]?.arrayValue else { return mutation }
        let name = ObjectMetaRules.name(object) ?? ""
        if !Self.needsNodePorts(object) {
            nodePorts.release(held.subtracting(NodePortAllocator.ports(of: object)))
            return mutation
        }
        var claimed: [Int64] = []
        var errors: [FieldError] = []
        for index in ports.indices {
            let field = "spec.ports[\(index)].nodePort"
            if let port = ports[index]["nodePort"]?.intValue, port != 0 {
                if held.contains(port) { continue }
                guard NodePortAllocator.range.contains(port) else {
                    errors.append(.invalid(field, .int(port), "provided port is not in the valid range. The range of valid ports is \(NodePortAllocator.range.lowerBound)-\(NodePortAllocator.range.upperBound)"))
                    continue
                }
                guard nodePorts.reserve(port) else {
                    errors.append(.invalid(field, .int(port), "provided port is already allocated"))
                    continue
                }
                claimed.append(port)
            } else if let port = nodePorts.allocate() {
                ports[index]["nodePort"] = .int(port)
                claimed.append(port)
            } else {
                nodePorts.release(claimed)
                throw APIErrors.internalError("failed to allocate a node port: the node port range is full")
            }
        }
        guard errors.isEmpty else {
            nodePorts.release(claimed)
            throw APIErrors.invalid(definition, name: name, errors)
        }
        object[path: ["spec", "ports"]] = .array(ports)
        nodePorts.release(held.subtracting(NodePortAllocator.ports(of: object)))
        return .put(object)
    }

    /// NodePort Services, and LoadBalancer Services unless they opt out of node ports.
    static func needsNodePorts(_ service: JSONValue) -> Bool {
        switch service[path: ["spec", "type"]]?.stringValue {
        case "NodePort": return true
        case "LoadBalancer": return service[path: ["spec", "allocateLoadBalancerNodePorts"]]?.boolValue != false
        default: return false
        }
    }
}
