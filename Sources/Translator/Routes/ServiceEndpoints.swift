import KubeTypes
import ProxyConfig

/// Which addresses serve a Service port: shared by the translator and the controller's endpoint
/// fast path, so both always agree.
public enum ServiceEndpoints {
    /// The endpoints behind a Service port: ready ones, or — while none is ready — those still
    /// serving while they terminate, so a rollout's last old pods keep answering.
    public static func endpoints(for servicePort: Service.Port, slices: [EndpointSlice]) -> [Endpoint] {
        var ready = Set<Endpoint>()
        var terminating = Set<Endpoint>()
        for slice in slices where slice.addressType == "IPv4" || slice.addressType == "IPv6" || slice.addressType == "FQDN" {
            // Slice ports are named after the Service port; an unnamed Service port matches an unnamed slice port.
            guard let slicePort = slice.ports?.first(where: { ($0.name ?? "") == (servicePort.name ?? "") }),
                  let number = slicePort.port else { continue }
            for endpoint in slice.endpoints ?? [] {
                for address in endpoint.addresses.prefix(1) {
                    let value = Endpoint(host: address, port: Int(number))
                    if endpoint.isReady {
                        ready.insert(value)
                    } else if endpoint.conditions?.serving == true {
                        terminating.insert(value)
                    }
                }
            }
        }
        let chosen = ready.isEmpty ? terminating : ready
        return chosen.sorted { ($0.host, $0.port) < ($1.host, $1.port) }
    }
}
