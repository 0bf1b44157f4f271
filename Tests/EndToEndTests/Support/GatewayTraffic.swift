import Foundation

/// Requests through a Gateway of a `causeway dev` cluster with the real curl.
struct GatewayTraffic {
    let cluster: DevProcess

    /// `causeway dev` shifts Gateway ports by 8000 when it cannot bind low ports (not root).
    static var portOffset: Int { getuid() == 0 ? 0 : 8000 }

    /// The Gateway's address from its status (empty until assigned).
    func address(gateway: String, namespace: String = "default") -> String {
        (try? cluster.kubectl(["get", "gateway", gateway, "-n", namespace, "-o", "jsonpath={.status.addresses[0].value}"],
                              allowFailure: true).stdout) ?? ""
    }

    struct Answer {
        var status: Int
        var body: String

        /// The echo backend's `pod` field.
        var pod: String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return "" }
            return object["pod"] as? String ?? ""
        }
    }

    /// One request; status 0 when curl could not connect.
    func get(_ address: String, port: Int = 80, host: String, path: String, headers: [String] = []) -> Answer {
        guard let curl = CommandRunner.which("curl") else { return Answer(status: -1, body: "curl not found") }
        var arguments = ["-s", "-m", "5", "-H", "Host: \(host)", "-w", "\n%{http_code}"]
        for header in headers { arguments += ["-H", header] }
        arguments.append("http://\(address):\(port + Self.portOffset)\(path)")
        guard let result = try? CommandRunner.run(curl, arguments, timeout: 10) else { return Answer(status: 0, body: "") }
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let code = Int(lines.popLast() ?? "") ?? 0
        return Answer(status: code, body: lines.joined(separator: "\n"))
    }
}
