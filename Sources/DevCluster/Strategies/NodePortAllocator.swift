import Synchronization
import KubeModel

/// Hands out node ports (30000-32767, the real server's default `--service-node-port-range`) to
/// NodePort and LoadBalancer Services: lowest free first, never one another Service holds —
/// including Services restored from a data directory — and takes ports back when they are dropped.
final class NodePortAllocator: Sendable {
    static let range: ClosedRange<Int64> = 30000...32767
    private let used: Mutex<Set<Int64>>

    init(services: [JSONValue]) {
        used = Mutex(Set(services.flatMap(Self.ports)))
    }

    func allocate() -> Int64? {
        used.withLock { used -> Int64? in
            Self.range.first { used.insert($0).inserted }
        }
    }

    /// Claims a port a client asked for; false when a Service already holds it.
    func reserve(_ port: Int64) -> Bool {
        used.withLock { $0.insert(port).inserted }
    }

    func release(_ ports: some Sequence<Int64>) {
        used.withLock { used in ports.forEach { used.remove($0) } }
    }

    static func ports(of service: JSONValue) -> [Int64] {
        (service[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }.filter { $0 != 0 }
    }
}
