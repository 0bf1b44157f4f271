import NIOCore
import NIOSSL
import ProxyConfig

/// The TLS handlers of a connection to a mesh backend: this proxy's workload certificate out,
/// the backend's chain checked against the trust bundle and its SPIFFE ID against the backend's
/// identities. Built per connection from the identity's current contexts, so a renewed
/// certificate is used by the next connection without touching open ones.
struct MeshConnectionSecurity {
    let context: NIOSSLContext
    let settings: MeshUpstreamTLS
    let identity: WorkloadIdentity
    let handshakeTimeout: TimeAmount

    init(settings: MeshUpstreamTLS, identity: WorkloadIdentity?, http2: Bool, handshakeTimeout: TimeAmount) throws {
        self.handshakeTimeout = handshakeTimeout
        guard let identity, let snapshot = identity.current else {
            throw PeerIdentityError(message: "this proxy has no workload certificate yet (is --mesh-identity set and the CA reachable?)")
        }
        context = http2 ? snapshot.h2ClientContext : snapshot.http1ClientContext
        self.settings = settings
        self.identity = identity
    }

    func addHandlers(to channel: any Channel) throws {
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(try NIOSSLClientHandler(context: context, serverHostname: settings.serverName ?? MeshUpstreamTLS.meshServerName))
        try sync.addHandler(PeerIdentityVerifier(trustDomain: identity.trustDomain, allowed: settings.identities,
                                                 allowedNamespaces: settings.namespaces, direction: .upstream,
                                                 identity: identity, eventLoop: channel.eventLoop, handshakeTimeout: handshakeTimeout))
    }

    /// The channel once its peer is verified; at once for a plaintext connection.
    static func verified(_ channel: any Channel, eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        guard let verifier = try? channel.pipeline.syncOperations.handler(type: PeerIdentityVerifier.self) else {
            return eventLoop.makeSucceededFuture(channel)
        }
        return verifier.verified.futureResult.map { _ in channel }.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }
}
