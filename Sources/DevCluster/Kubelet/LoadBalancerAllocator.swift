import Foundation
import KubeModel
import Synchronization

/// The load-balancer provider of `causeway dev`: every LoadBalancer Service gets a loopback
/// address (in 127.64.0.0/10, from a random start so two `causeway dev`s on one machine rarely
/// meet, or the `loadBalancerIP` it asks for when that is a free loopback address) in
/// `status.loadBalancer.ingress`, as a cloud provider would give a public one.
final class LoadBalancerAllocator: Sendable {
    let server: APIServer
    private let assigned = Mutex<[ObjectKey: String]>([:])
    private let start = UInt32.random(in: 0..<(1 << 22))
    static let manager = "causeway-dev-load-balancer"

    init(server: APIServer) { self.server = server }

    func sync(_ key: ObjectKey) {
        let service = server.store.get(DevKubelet.services, key)
        guard let service, service[path: ["spec", "type"]]?.stringValue == "LoadBalancer",
              service[path: ["metadata", "deletionTimestamp"]] == nil else {
            assigned.withLock { $0[key] = nil }
            return
        }
        let existing = service[path: ["status", "loadBalancer", "ingress"]]?.arrayValue?.first?["ip"]?.stringValue
        let requested = service[path: ["spec", "loadBalancerIP"]]?.stringValue
        let address = assigned.withLock { table -> String? in
            if let current = table[key], requested == nil || requested == current { return current }
            let taken = Set(table.values)
            if let requested, requested.hasPrefix("127."), !taken.contains(requested) {
                table[key] = requested
                return requested
            }
            if let existing, existing.hasPrefix("127."), !taken.contains(existing), requested == nil {
                table[key] = existing
                return existing
            }
            for step in UInt32(0)..<(1 << 22) {
                let value = 0x7F40_0000 + (start + step) % (1 << 22)
                if value & 0xFF == 0 || value & 0xFF == 0xFF { continue }
                let candidate = PodAddressPool.format(value)
                if !taken.contains(candidate) {
                    table[key] = candidate
                    return candidate
                }
            }
            return nil
        }
        guard let address, address != existing || service[path: ["status", "loadBalancer", "ingress"]]?.arrayValue?.count != 1 else { return }
        _ = server.rewrite(ObjectLocation(storageKey: DevKubelet.services, objectKey: key),
                           uid: service[path: ["metadata", "uid"]]?.stringValue, manager: Self.manager, subresource: "status") { current in
            var next = current
            next[path: ["status", "loadBalancer"]] = ["ingress": [["ip": .string(address), "ipMode": "VIP"]]]
            return next == current ? nil : next
        }
    }
}
