/// What the proxy knows about the downstream connection when it rewrites a request.
struct DownstreamInfo {
    var clientAddress: String?
    var isTLS: Bool
    var isHTTP2: Bool
    /// The TLS ClientHello's server name (SNI), when the connection is TLS and sent one.
    var serverName: String?
    /// On a mesh listener: this proxy's SPIFFE ID, the client's, and its leaf's SHA-256.
    var localIdentity: String?
    var peerIdentity: String?
    var peerCertificateHash: String?
}
