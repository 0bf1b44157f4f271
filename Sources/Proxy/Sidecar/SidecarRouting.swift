import NIOCore
import ProxyConfig

/// A sidecar snapshot compiled for lookups per connection: mesh Service ports by cluster IP and
/// port (addresses normalised, so `fd00::a` and `fd00:0::a` are one key).
struct SidecarRouting: Sendable {
    struct Destination: Hashable, Sendable {
        var address: String
        var port: Int
    }

    let services: [Destination: MeshServicePort]
    let inbound: InboundPolicy
    let outboundPort: Int
    let inboundPort: Int

    init(_ config: SidecarConfig) {
        var services: [Destination: MeshServicePort] = [:]
        for entry in config.services {
            for address in entry.addresses {
                let normalised = (try? SocketAddress(ipAddress: address, port: entry.port))?.ipAddress ?? address
                services[Destination(address: normalised, port: entry.port)] = entry
            }
        }
        self.services = services
        inbound = config.inbound
        outboundPort = config.outboundPort
        inboundPort = config.inboundPort
    }

    func service(at address: SocketAddress) -> MeshServicePort? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return services[Destination(address: ip, port: port)]
    }
}
