import Synchronization
import KubeModel
import APIMachinery

/// Services get the defaults of the real API server and a cluster IP from the service range,
/// kept for the Service's life.
struct ServiceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
        object.setDefault(["spec", "type"], "ClusterIP")
        object.setDefault(["spec", "sessionAffinity"], "None")
        object.setDefault(["spec", "internalTrafficPolicy"], "Cluster")
        object.setDefault(["spec", "ipFamilyPolicy"], "SingleStack")
        object.setDefault(["spec", "ipFamilies"], ["IPv4"])
        if var ports = object[path: ["spec", "ports"]]?.arrayValue {
            for index in ports.indices {
                ports[index].setDefault(["protocol"], "TCP")
                if let port = ports[index]["port"] { ports[index].setDefault(["targetPort"], port) }
            }
            object[path: ["spec", "ports"]] = .array(ports)
        }
        let type = object[path: ["spec", "type"]]?.stringValue
        if let old, let ip = old[path: ["spec", "clusterIP"]] {
            object[path: ["spec", "clusterIP"]] = ip
            object[path: ["spec", "clusterIPs"]] = old[path: ["spec", "clusterIPs"]]
        } else if type != "ExternalName", object[path: ["spec", "clusterIP"]]?.stringValue != "None" {
            if object[path: ["spec", "clusterIP"]]?.stringValue?.isEmpty ?? true {
                let ip = ClusterIPAllocator.shared.next(base: server.options.serviceCIDRBase)
                object[path: ["spec", "clusterIP"]] = .string(ip)
            }
            object[path: ["spec", "clusterIPs"]] = [object[path: ["spec", "clusterIP"]] ?? .null]
        }
        if old == nil { object["status"] = ["loadBalancer": [:]] }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let type = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(type) {
            errors.append(FieldError(kind: .notSupported, field: "spec.type", badValue: .string(type),
                                     detail: "supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""))
        }
        let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
        if ports.isEmpty, type != "ExternalName", object[path: ["spec", "clusterIP"]]?.stringValue != "None" {
            errors.append(FieldError(kind: .required, field: "spec.ports", badValue: nil, detail: ""))
        }
        for (index, port) in ports.enumerated() {
            guard let number = port["port"]?.intValue else {
                errors.append(FieldError(kind: .required, field: "spec.ports[\(index)].port", badValue: nil, detail: ""))
                continue
            }
            if !(1...65535).contains(number) {
                errors.append(FieldError(kind: .invalid, field: "spec.ports[\(index)].port", badValue: .int(number),
                                         detail: "must be between 1 and 65535, inclusive"))
            }
        }
        return errors
    }
}

/// Hands out cluster IPs in order from the service range (10.96.0.0/12 by default).
final class ClusterIPAllocator: Sendable {
    static let shared = ClusterIPAllocator()
    private let counter = Mutex<UInt32>(1)

    func next(base: (UInt8, UInt8)) -> String {
        let n = counter.withLock { value -> UInt32 in
            value += 1
            return value
        }
        return "\(base.0).\(base.1).\((n >> 8) & 0xFF).\(n & 0xFF)"
    }
}
