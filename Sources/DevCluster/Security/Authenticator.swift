import NIOCore
import NIOSSL
import X509

/// Who is asking: a bearer token DevCluster issued, or a client certificate its CA signed
/// (the CN is the user, as in Kubernetes). Plain-HTTP dev servers may run without it.
struct Authenticator: Sendable {
    let tokens: TokenRegistry
    let required: Bool

    func tokenUser(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Like kube-apiserver, a token minted for another audience (a proxy's token for the
        // configuration server or the mesh CA) is not a credential for the API itself.
        guard let identity = tokens.identity(for: String(parts[1])),
              identity.audiences.isEmpty || identity.audiences.contains(APIServer.apiAudience) else { return nil }
        return identity.username
    }

    /// The verified peer certificate's common name; NIOSSL has already checked it against the CA.
    func certificateUser(_ channel: any Channel) -> String? {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let peer = handler.peerCertificate,
              let der = try? peer.toDERBytes(),
              let certificate = try? Certificate(derEncoded: der) else { return nil }
        for relativeName in certificate.subject {
            for attribute in relativeName where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }
}
