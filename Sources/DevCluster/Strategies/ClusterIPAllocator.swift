import Synchronization
import KubeModel

/// Hands out cluster IPs from the service range (10.96.0.0/16 of the default 10.96.0.0/12),
/// lowest free first, never one a Service holds — including Services restored from a data
/// directory — and takes an IP back when its Service is deleted.
final class ClusterIPAllocator: Sendable {
    private let base: (UInt8, UInt8)
    private let used: Mutex<Set<String>>

    init(base: (UInt8, UInt8), services: [JSONValue]) {
        self.base = base
        used = Mutex(Set(services.flatMap(Self.addresses)))
    }

    /// The lowest free address; .0.1 stays for the `kubernetes` Service, as on a real cluster.
    func allocate() -> String? {
        used.withLock { used -> String? in
            for n in UInt32(2)..<0xFFFF {
                let ip = "\(base.0).\(base.1).\(n >> 8).\(n & 0xFF)"
                if used.insert(ip).inserted { return ip }
            }
            return nil
        }
    }

    /// Claims an address a client asked for; false when a Service already holds it.
    func reserve(_ ip: String) -> Bool {
        used.withLock { $0.insert(ip).inserted }
    }

    func release(_ service: JSONValue) {
        let addresses = Self.addresses(of: service)
        used.withLock { used in addresses.forEach { used.remove($0) } }
    }

    static func addresses(of service: JSONValue) -> [String] {
        let single = service[path: ["spec", "clusterIP"]]?.stringValue.map { [$0] } ?? []
        let all = service[path: ["spec", "clusterIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        return Array(Set(single + all)).filter { !$0.isEmpty && $0 != "None" }
    }
}
