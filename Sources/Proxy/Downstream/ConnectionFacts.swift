/// Facts about a client connection learnt before any request, shared by the request handlers of
/// that connection (one for HTTP/1.1, one per stream for HTTP/2). Confined to the connection's loop.
final class ConnectionFacts {
    var serverName: String?
    var localIdentity: String?
    var peerIdentity: String?
    var peerCertificateHash: String?
}
