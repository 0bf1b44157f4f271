/// A label pair of `causeway_sidecar_connections_total`: which capture port took the connection
/// and what the sidecar did with it.
struct SidecarConnectionKey: Hashable, Sendable {
    enum Direction: String, Sendable { case inbound, outbound }
    enum Outcome: String, Sendable {
        /// Routed as HTTP through a mesh Service's routes.
        case http
        /// Relayed as opaque TCP to a mesh Service's endpoint.
        case tcp
        /// Not a mesh Service: relayed unchanged to where it was going.
        case passthrough
        /// Inbound mutual TLS from a workload of the mesh.
        case mtls
        /// Inbound plaintext, accepted (PERMISSIVE).
        case plaintext
        /// Inbound plaintext refused (STRICT).
        case refusedPlaintext = "refused_plaintext"
        /// No original destination, no endpoint, or no workload certificate.
        case failed
    }
    var direction: Direction
    var outcome: Outcome
}
