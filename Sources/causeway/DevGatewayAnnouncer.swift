import DevCluster
import Foundation
import KubeModel
import Synchronization

/// Tells the `causeway dev` user, on the console, where each Gateway serves once it is
/// Programmed — the address and the port as they can reach them from this machine.
final class DevGatewayAnnouncer: Sendable {
    let portOffset: Int
    private let announced = Mutex<[String: String]>([:])

    init(portOffset: Int) { self.portOffset = portOffset }

    func start(_ cluster: DevCluster) {
        cluster.apiServer.onCommit { [self] event in
            guard event.storageKey.group == "gateway.networking.k8s.io", event.storageKey.resource == "gateways" else { return }
            announce(event.object, deleted: event.kind == .deleted)
        }
    }

    private func announce(_ gateway: JSONValue, deleted: Bool) {
        let key = "\(gateway.metaNamespace ?? "default")/\(gateway.metaName ?? "")"
        let programmed = (gateway[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"] == "Programmed" && $0["status"] == "True"
        }
        let address = gateway[path: ["status", "addresses"]]?.arrayValue?.first?["value"]?.stringValue
        guard !deleted, programmed, let address else {
            announced.withLock { _ = $0.removeValue(forKey: key) }
            return
        }
        let ports = (gateway[path: ["spec", "listeners"]]?.arrayValue ?? []).compactMap { listener -> String? in
            guard let port = listener["port"]?.intValue else { return nil }
            let scheme = listener["protocol"]?.stringValue == "HTTPS" ? "https" : "http"
            return "\(scheme)://\(address):\(Int(port) + portOffset)"
        }
        let line = ports.joined(separator: " ")
        let isNew = announced.withLock { table -> Bool in
            guard table[key] != line else { return false }
            table[key] = line
            return true
        }
        if isNew { Console.line("causeway dev: gateway \(key) is Programmed and serves \(line)") }
    }
}
