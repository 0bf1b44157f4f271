import KubeModel

/// What the EndpointSlice controller wants for one Service, as a pure function of the Service and
/// the Pods it selects: one slice per distinct set of resolved ports (a pod whose container lacks a
/// named target port resolves fewer ports, so it lands in another slice, as in the real
/// controller), at most 100 endpoints each, or one empty placeholder slice when no pod qualifies.
/// Only IPv4 slices are produced.
enum EndpointSliceDesired {
    /// The content of one slice the controller maintains.
    struct Slice: Equatable, Sendable {
        /// `ports` as stored: an array, or null for the placeholder.
        var ports: JSONValue
        /// `endpoints` as stored: an array, or null when empty (as the real API server returns it).
        var endpoints: JSONValue
    }

    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let headlessLabel = "service.kubernetes.io/headless"
    static let controllerName = "endpointslice-controller.k8s.io"
    static let zoneLabel = "topology.kubernetes.io/zone"
    static let maxEndpointsPerSlice = 100

    /// The selector, or nil for Services the controller leaves alone: those without one (their
    /// slices are written by someone else) and ExternalName Services.
    static func selector(of service: JSONValue) -> [String: String]? {
        guard service[path: ["spec", "type"]]?.stringValue != "ExternalName",
              let selector = service[path: ["spec", "selector"]]?.objectValue, !selector.isEmpty else { return nil }
        return selector.compactMapValues(\.stringValue)
    }

    static func selects(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// `nodeZone` maps a node name to its `topology.kubernetes.io/zone` label, when known.
    static func slices(service: JSONValue, pods: [JSONValue], nodeZone: (String) -> String?) -> [Slice] {
        let servicePorts = service[path: ["spec", "ports"]]?.arrayValue ?? []
        var groups: [JSONValue: [JSONValue]] = [:]
        let ordered = pods.sorted { (ObjectMetaRules.name($0) ?? "") < (ObjectMetaRules.name($1) ?? "") }
        for pod in ordered {
            guard belongsInEndpoints(pod), let address = ipv4Address(pod) else { continue }
            let ports = servicePorts.compactMap { endpointPort($0, pod: pod) }
            groups[.array(ports), default: []].append(endpoint(pod, address: address, service: service, nodeZone: nodeZone))
        }
        var result: [Slice] = []
        for ports in groups.keys.sorted(by: { $0.jsonString < $1.jsonString }) {
            let endpoints = groups[ports] ?? []
            for start in stride(from: 0, to: endpoints.count, by: maxEndpointsPerSlice) {
                let chunk = Array(endpoints[start..<min(start + maxEndpointsPerSlice, endpoints.count)])
                result.append(Slice(ports: normalizedPorts(ports), endpoints: .array(chunk)))
            }
        }
        return result.isEmpty ? [Slice(ports: .null, endpoints: .null)] : result
    }

    /// Empty and absent port lists are the same thing to clients (both read back as null).
    static func normalizedPorts(_ ports: JSONValue?) -> JSONValue {
        guard let ports, let array = ports.arrayValue, !array.isEmpty else { return .null }
        return ports
    }

    /// Terminal pods (Succeeded, Failed) have no endpoint; terminating ones still do.
    static func belongsInEndpoints(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.stringValue
        return phase != "Succeeded" && phase != "Failed"
    }

    /// The pod's IPv4 address: the first of `status.podIPs`, else `status.podIP`.
    static func ipv4Address(_ pod: JSONValue) -> String? {
        var candidates = (pod[path: ["status", "podIPs"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
        if let ip = pod[path: ["status", "podIP"]]?.stringValue { candidates.append(ip) }
        return candidates.first { !$0.isEmpty && $0.contains(".") && !$0.contains(":") }
    }

    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
        }
    }

    static func endpoint(_ pod: JSONValue, address: String, service: JSONValue, nodeZone: (String) -> String?) -> JSONValue {
        let serving = isReady(pod)
        let terminating = ObjectMetaRules.isDeleting(pod)
        // A terminating pod is never "ready", unless the Service publishes not-ready addresses.
        let ready = service[path: ["spec", "publishNotReadyAddresses"]]?.boolValue == true || (serving && !terminating)
        var endpoint: JSONValue = [
            "addresses": [.string(address)],
            "conditions": ["ready": .bool(ready), "serving": .bool(serving), "terminating": .bool(terminating)],
            "targetRef": ["kind": "Pod", "namespace": pod[path: ["metadata", "namespace"]] ?? "",
                          "name": pod[path: ["metadata", "name"]] ?? "", "uid": pod[path: ["metadata", "uid"]] ?? ""],
        ]
        if let node = pod[path: ["spec", "nodeName"]]?.stringValue, !node.isEmpty {
            endpoint["nodeName"] = .string(node)
            if let zone = nodeZone(node), !zone.isEmpty { endpoint["zone"] = .string(zone) }
        }
        // The pod's hostname is published when it names this Service as its subdomain.
        if let hostname = pod[path: ["spec", "hostname"]]?.stringValue, !hostname.isEmpty,
           pod[path: ["spec", "subdomain"]]?.stringValue == ObjectMetaRules.name(service) {
            endpoint["hostname"] = .string(hostname)
        }
        return endpoint
    }

    /// A Service port as this pod serves it; nil when a named target port is not among the pod's
    /// container ports (with the same protocol).
    static func endpointPort(_ servicePort: JSONValue, pod: JSONValue) -> JSONValue? {
        let proto = servicePort["protocol"]?.stringValue ?? "TCP"
        let number: Int64
        switch servicePort["targetPort"] {
        case .string(let name)?:
            guard let found = containerPort(named: name, protocol: proto, in: pod) else { return nil }
            number = found
        case let target? where (target.intValue ?? 0) > 0:
            number = target.intValue ?? 0
        default:
            guard let port = servicePort["port"]?.intValue else { return nil }
            number = port
        }
        var port: JSONValue = ["name": .string(servicePort["name"]?.stringValue ?? ""), "protocol": .string(proto),
                               "port": .int(number)]
        if let appProtocol = servicePort["appProtocol"]?.stringValue { port["appProtocol"] = .string(appProtocol) }
        return port
    }

    /// Searches the containers, then the sidecars (init containers that keep running).
    static func containerPort(named name: String, protocol proto: String, in pod: JSONValue) -> Int64? {
        let sidecars = (pod[path: ["spec", "initContainers"]]?.arrayValue ?? []).filter {
            $0["restartPolicy"]?.stringValue == "Always"
        }
        for container in (pod[path: ["spec", "containers"]]?.arrayValue ?? []) + sidecars {
            for port in container["ports"]?.arrayValue ?? [] where port["name"]?.stringValue == name {
                if (port["protocol"]?.stringValue ?? "TCP") == proto, let number = port["containerPort"]?.intValue {
                    return number
                }
            }
        }
        return nil
    }

    /// The Service's labels, minus the ones the controller reserves, plus those it sets.
    static func labels(for service: JSONValue) -> JSONValue {
        var labels = ObjectMetaRules.labels(service)
        labels[serviceNameLabel] = nil
        labels[managedByLabel] = nil
        labels[headlessLabel] = nil
        let clusterIP = service[path: ["spec", "clusterIP"]]?.stringValue ?? ""
        if clusterIP.isEmpty || clusterIP == "None" { labels[headlessLabel] = "" }
        labels[serviceNameLabel] = ObjectMetaRules.name(service) ?? ""
        labels[managedByLabel] = controllerName
        return .object(labels.mapValues { .string($0) })
    }

    static func ownerReference(for service: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "name": service[path: ["metadata", "name"]] ?? "",
         "uid": service[path: ["metadata", "uid"]] ?? "", "controller": true, "blockOwnerDeletion": true]
    }

    /// A new slice for the Service; the API server completes `generateName`.
    static func newSlice(_ slice: Slice, service: JSONValue) -> JSONValue {
        let name = ObjectMetaRules.name(service) ?? ""
        let base: JSONValue = [
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": ["generateName": .string(name + "-"),
                         "namespace": service[path: ["metadata", "namespace"]] ?? "",
                         "ownerReferences": [ownerReference(for: service)]],
        ]
        return applying(slice, labels: labels(for: service), to: base)
    }

    static func applying(_ slice: Slice, labels: JSONValue, to existing: JSONValue) -> JSONValue {
        var next = existing
        next[path: ["metadata", "labels"]] = labels
        next["addressType"] = "IPv4"
        next["ports"] = slice.ports
        next["endpoints"] = slice.endpoints
        return next
    }
}
