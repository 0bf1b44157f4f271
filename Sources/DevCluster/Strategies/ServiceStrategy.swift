import KubeModel
import APIMachinery

/// Services keep their cluster IP for life (it is assigned when the Service is stored, see
/// `APIServer.assigningClusterIP`); defaults and validation are `APIMachinery`'s.
struct ServiceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        let type = object[path: ["spec", "type"]]?.stringValue
        // An update that leaves the allocated address out keeps it (the real server's
        // patchAllocatedValues); one that names a different address is refused in validation.
        if let old, let ip = old[path: ["spec", "clusterIP"]] {
            if (object[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty {
                object[path: ["spec", "clusterIP"]] = ip
            }
            if (object[path: ["spec", "clusterIPs"]]?.arrayValue ?? []).isEmpty {
                object[path: ["spec", "clusterIPs"]] = old[path: ["spec", "clusterIPs"]]
            }
        }
        if let old { Self.carryNodePorts(&object, old: old) }
        if type != "ExternalName" {
            object.setDefault(["spec", "ipFamilies"], ["IPv4"])
            object.setDefault(["spec", "ipFamilyPolicy"], "SingleStack")
        }
    }

    /// An update that leaves node ports out keeps them (matched by port name), and one that moves
    /// to a type without node ports drops those it had — the real registry's
    /// `patchAllocatedValues` and `dropTypeDependentFields`.
    static func carryNodePorts(_ object: inout JSONValue, old: JSONValue) {
        guard var ports = object[path: ["spec", "ports"]]?.arrayValue else { return }
        let oldPorts = old[path: ["spec", "ports"]]?.arrayValue ?? []
        let held = Set(oldPorts.compactMap { $0["nodePort"]?.intValue })
        if APIServer.needsNodePorts(object) {
            guard APIServer.needsNodePorts(old) else { return }
            let used = Set(ports.compactMap { $0["nodePort"]?.intValue })
            var byName: [String: Int64] = [:]
            for port in oldPorts { if let number = port["nodePort"]?.intValue { byName[port["name"]?.stringValue ?? ""] = number } }
            for index in ports.indices where (ports[index]["nodePort"]?.intValue ?? 0) == 0 {
                if let previous = byName[ports[index]["name"]?.stringValue ?? ""], !used.contains(previous) {
                    ports[index]["nodePort"] = .int(previous)
                }
            }
        } else {
            for index in ports.indices {
                if let number = ports[index]["nodePort"]?.intValue, held.contains(number) { ports[index]["nodePort"] = nil }
            }
        }
        object[path: ["spec", "ports"]] = .array(ports)
    }
}
