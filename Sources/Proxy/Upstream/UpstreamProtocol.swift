/// The wire protocol spoken to a backend.
enum UpstreamProtocol: String, Hashable, Sendable {
    case http1
    /// HTTP/2 over cleartext with prior knowledge (gRPC backends).
    case h2c
}
