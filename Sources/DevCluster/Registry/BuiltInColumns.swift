import KubeModel

/// The columns `kubectl get` prints for the built-in kinds people look at most, computed as the
/// real server's table printers compute them.
enum BuiltInColumns {
    static let age = column("Age", "date", jsonPath: ".metadata.creationTimestamp")

    static let pods: [TableColumn] = [
        TableColumn("Ready") { pod in
            let statuses = pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []
            let total = pod[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
            let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
            return .string("\(ready)/\(total)")
        },
        TableColumn("Status") { pod in
            if ObjectMetaRules.isDeleting(pod) { return "Terminating" }
            for status in pod[path: ["status", "containerStatuses"]]?.arrayValue ?? [] {
                if let reason = status[path: ["state", "waiting", "reason"]]?.stringValue { return .string(reason) }
            }
            return .string(pod[path: ["status", "reason"]]?.stringValue ?? pod[path: ["status", "phase"]]?.stringValue ?? "Unknown")
        },
        TableColumn("Restarts", type: "string") { pod in
            let restarts = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
            return .string(String(restarts))
        },
        age,
        column("IP", "string", priority: 1, jsonPath: ".status.podIP"),
        column("Node", "string", priority: 1, jsonPath: ".spec.nodeName"),
    ]

    static let services: [TableColumn] = [
        column("Type", "string", jsonPath: ".spec.type"),
        TableColumn("Cluster-IP") { service in .string(service[path: ["spec", "clusterIP"]]?.stringValue ?? "<none>") },
        TableColumn("External-IP") { service in
            let ingress = (service[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
            let external = service[path: ["spec", "externalIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            if service[path: ["spec", "type"]]?.stringValue == "ExternalName" {
                return .string(service[path: ["spec", "externalName"]]?.stringValue ?? "<none>")
            }
            let all = ingress + external
            if all.isEmpty { return service[path: ["spec", "type"]]?.stringValue == "LoadBalancer" ? "<pending>" : "<none>" }
            return .string(all.joined(separator: ","))
        },
        TableColumn("Port(s)") { service in
            let ports = (service[path: ["spec", "ports"]]?.arrayValue ?? []).map { port -> String in
                let number = port["port"]?.intValue.map(String.init) ?? ""
                let nodePort = port["nodePort"]?.intValue.map { ":\($0)" } ?? ""
                return "\(number)\(nodePort)/\(port["protocol"]?.stringValue ?? "TCP")"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        },
        age,
        TableColumn("Selector", priority: 1) { service in
            let selector = service[path: ["spec", "selector"]]?.objectValue ?? [:]
            let text = selector.keys.sorted().map { "\($0)=\(selector[$0]?.stringValue ?? "")" }.joined(separator: ",")
            return .string(text.isEmpty ? "<none>" : text)
        },
    ]

    static let deployments: [TableColumn] = [
        TableColumn("Ready") { deployment in
            let ready = deployment[path: ["status", "readyReplicas"]]?.intValue ?? 0
            let desired = deployment[path: ["spec", "replicas"]]?.intValue ?? 0
            return .string("\(ready)/\(desired)")
        },
        TableColumn("Up-to-date", type: "integer") { .int($0[path: ["status", "updatedReplicas"]]?.intValue ?? 0) },
        TableColumn("Available", type: "integer") { .int($0[path: ["status", "availableReplicas"]]?.intValue ?? 0) },
        age,
    ]

    static let configMaps: [TableColumn] = [
        TableColumn("Data", type: "integer") { configMap in
            .int(Int64((configMap["data"]?.objectValue?.count ?? 0) + (configMap["binaryData"]?.objectValue?.count ?? 0)))
        },
        age,
    ]

    static let secrets: [TableColumn] = [
        column("Type", "string", jsonPath: ".type"),
        TableColumn("Data", type: "integer") { .int(Int64($0["data"]?.objectValue?.count ?? 0)) },
        age,
    ]

    static let serviceAccounts: [TableColumn] = [
        TableColumn("Secrets", type: "integer") { .int(Int64($0["secrets"]?.arrayValue?.count ?? 0)) },
        age,
    ]

    static let endpointSlices: [TableColumn] = [
        column("AddressType", "string", jsonPath: ".addressType"),
        TableColumn("Ports") { slice in
            let ports = (slice["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue.map(String.init) }
            return .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ","))
        },
        TableColumn("Endpoints") { slice in
            let addresses = (slice["endpoints"]?.arrayValue ?? []).flatMap { $0["addresses"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
            if addresses.isEmpty { return "<unset>" }
            let shown = addresses.prefix(3).joined(separator: ",")
            return .string(addresses.count > 3 ? "\(shown) + \(addresses.count - 3) more..." : shown)
        },
        age,
    ]

    /// The built-in columns are literals checked by the tests; a bad one is a programming error.
    static func column(_ name: String, _ type: String, priority: Int = 0, jsonPath: String) -> TableColumn {
        do {
            return try TableColumn(name, type: type, priority: priority, jsonPath: jsonPath)
        } catch {
            preconditionFailure("built-in printer column \(name): \(error)")
        }
    }
}
