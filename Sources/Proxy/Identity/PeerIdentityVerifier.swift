import Foundation
import NIOCore
import NIOSSL
import NIOTLS
import WorkloadCA
import X509

/// Sits right after a NIOSSL handler on a mesh connection. BoringSSL has verified the peer's chain
/// against the trust bundle by the time the handshake completes; this reads the peer's SPIFFE ID
/// from its leaf and checks it against the trust domain and the identities allowed here. A peer
/// that fails is cut off before any of its bytes reach HTTP, or before a request is sent to it.
final class PeerIdentityVerifier: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    enum Direction: String { case downstream, upstream }

    private let trustDomain: String
    private let allowed: Set<String>
    /// Namespaces whose every workload is allowed too (a Service's endpoints, known by namespace).
    private let allowedNamespaces: Set<String>
    private let direction: Direction
    private let identity: WorkloadIdentity
    private var rejected = false
    private var settled = false
    private let handshakeTimeout: TimeAmount
    private var timeout: Scheduled<Void>?
    /// Succeeds with the peer once checked; fails when the handshake or the check fails.
    let verified: EventLoopPromise<VerifiedPeer>

    /// `handshakeTimeout` bounds how long a peer may take to finish TLS: one that connects and
    /// never completes the handshake must not hold a connection (or an upstream lease) forever.
    init(trustDomain: String, allowed: [String], allowedNamespaces: [String] = [], direction: Direction, identity: WorkloadIdentity,
         eventLoop: any EventLoop, handshakeTimeout: TimeAmount) {
        self.trustDomain = trustDomain
        self.allowed = Set(allowed)
        self.allowedNamespaces = Set(allowedNamespaces)
        self.direction = direction
        self.identity = identity
        self.handshakeTimeout = handshakeTimeout
        verified = eventLoop.makePromise()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: handshakeTimeout) {
            let (verifier, context) = loopBound.value
            verifier.reject(context, PeerIdentityError(message: "the TLS handshake did not complete in time"))
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
        settle(.failure(PeerIdentityError(message: "the connection closed before the peer was verified")))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            do {
                let peer = try check(context)
                settle(.success(peer))
            } catch {
                reject(context, error)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func check(_ context: ChannelHandlerContext) throws -> VerifiedPeer {
        guard let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self),
              let certificate = handler.peerCertificate else {
            throw PeerIdentityError(message: "the peer presented no certificate")
        }
        let der = try certificate.toDERBytes()
        let leaf = try Certificate(derEncoded: der)
        let peer: SPIFFEID
        do {
            peer = try SPIFFEID(of: leaf)
        } catch {
            throw PeerIdentityError(message: "the peer's certificate carries no SPIFFE ID: \(error.message)")
        }
        guard peer.trustDomain == trustDomain else {
            throw PeerIdentityError(message: "the peer is \(peer), outside trust domain \(trustDomain)")
        }
        let unrestricted = allowed.isEmpty && allowedNamespaces.isEmpty
        guard unrestricted || allowed.contains(peer.uri) || allowedNamespaces.contains(peer.namespace) else {
            let expected = allowed.sorted() + allowedNamespaces.sorted().map { "a workload of namespace \($0)" }
            throw PeerIdentityError(message: "the peer is \(peer); expected " + expected.joined(separator: " or "))
        }
        return VerifiedPeer(identity: peer, leafHash: Fingerprint.sha256(bytes: der))
    }

    private func reject(_ context: ChannelHandlerContext, _ error: any Error) {
        guard !rejected else { return }
        rejected = true
        identity.handshakeFailed(direction: direction.rawValue)
        settle(.failure(error))
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func settle(_ result: Result<VerifiedPeer, any Error>) {
        guard !settled else { return }
        settled = true
        timeout?.cancel()
        verified.completeWith(result)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !rejected { context.fireChannelRead(data) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A handshake BoringSSL refused (no certificate, unknown root, expired) ends here too.
        if !rejected, !settled, error is NIOSSLError || error is BoringSSLError {
            identity.handshakeFailed(direction: direction.rawValue)
        }
        settle(.failure(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(.failure(PeerIdentityError(message: "the connection closed before the peer was verified")))
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !rejected else {
            promise?.fail(PeerIdentityError(message: "the peer was refused"))
            return
        }
        context.write(data, promise: promise)
    }
}
