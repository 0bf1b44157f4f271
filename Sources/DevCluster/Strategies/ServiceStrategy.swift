import Synchronization
import KubeModel
import APIMachinery

/// Services get a cluster IP from the service range, kept for the Service's life
/// (defaults and validation are `APIMachinery`'s).
struct ServiceStrategy: ResourceStrategy {
    func prepare(_ object: inout JSONValue, old: JSONValue?, server: APIServer) throws(APIStatus) {
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
        if type != "ExternalName" {
            object.setDefault(["spec", "ipFamilies"], ["IPv4"])
            object.setDefault(["spec", "ipFamilyPolicy"], "SingleStack")
        }
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
