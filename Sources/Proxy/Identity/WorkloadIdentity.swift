import Crypto
import Foundation
import NIOSSL
import PrometheusText
import Synchronization
import WorkloadCA

/// This proxy's mesh identity: its workload certificate, the private key (in memory only: never
/// written to disk nor shown on the admin endpoint) and the trust bundle, with the TLS contexts
/// built from them. A swap builds new contexts that new connections use; connections already
/// open keep theirs, so rotation drops nothing.
public final class WorkloadIdentity: Sendable {
    public struct Snapshot: Sendable {
        public let certificate: WorkloadCertificate
        public let bundle: TrustBundle
        /// Presents the certificate and requires a client certificate from the bundle.
        let serverContext: NIOSSLContext
        /// Presents the certificate and verifies the server against the bundle; ALPN http/1.1.
        let http1ClientContext: NIOSSLContext
        /// The same for HTTP/2 backends (ALPN h2).
        let h2ClientContext: NIOSSLContext
        public var identity: SPIFFEID { certificate.identity }
    }

    public let trustDomain: String
    /// The key as raw scalar bytes (swift-crypto's key type is not Sendable).
    private let state = Mutex<(snapshot: Snapshot?, key: Data?)>((nil, nil))
    private let expiry = LabeledMetric("causeway_proxy_workload_certificate_expiry_timestamp_seconds", kind: .gauge,
                                       help: "When this proxy's workload certificate expires (Unix time).")
    private let renewals = LabeledMetric("causeway_proxy_workload_certificate_renewals_total", kind: .counter,
                                         help: "Certificate requests to the mesh CA, by result.", labels: ["result"])
    private let roots = LabeledMetric("causeway_proxy_trust_bundle_roots", kind: .gauge,
                                      help: "Roots in the trust bundle this proxy verifies peers with.")
    private let handshakeFailures = LabeledMetric("causeway_proxy_mtls_handshake_failures_total", kind: .counter,
                                                  help: "Mutual TLS handshakes refused or failed, by direction.", labels: ["direction"])

    public init(trustDomain: String) {
        self.trustDomain = trustDomain
        for result in ["success", "failure"] { renewals.add(0, result) }
        for direction in ["downstream", "upstream"] { handshakeFailures.add(0, direction) }
        roots.set(0)
    }

    public var current: Snapshot? { state.withLock { $0.snapshot } }

    /// A new certificate (and the key it was issued for), with the bundle that came with it.
    public func install(certificate: WorkloadCertificate, key: P256.Signing.PrivateKey, bundle: TrustBundle) throws {
        let snapshot = try Self.makeSnapshot(certificate: certificate, key: key, bundle: bundle)
        let raw = key.rawRepresentation
        state.withLock { $0 = (snapshot, raw) }
        expiry.set(certificate.notAfter.timeIntervalSince1970.rounded(.down))
        roots.set(Double(bundle.roots.count))
    }

    /// A new bundle for the certificate held now (a root rotation's first and last phase).
    /// Without a certificate yet, the bundle waits for the first one.
    public func install(bundle: TrustBundle) throws {
        let held: (certificate: WorkloadCertificate, key: Data)? = state.withLock { state in
            guard let snapshot = state.snapshot, let key = state.key else { return nil }
            return (snapshot.certificate, key)
        }
        guard let (certificate, raw) = held else { return }
        let key = try P256.Signing.PrivateKey(rawRepresentation: raw)
        let snapshot = try Self.makeSnapshot(certificate: certificate, key: key, bundle: bundle)
        state.withLock { $0.snapshot = snapshot }
        roots.set(Double(bundle.roots.count))
    }

    private static func makeSnapshot(certificate: WorkloadCertificate, key: P256.Signing.PrivateKey, bundle: TrustBundle) throws -> Snapshot {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.chainPEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let roots = try NIOSSLCertificate.fromPEMBytes(Array(bundle.pem.utf8))
        let privateKey = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
        func client(_ alpn: [String]) throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateChain = chain
            configuration.privateKey = privateKey
            configuration.trustRoots = .certificates(roots)
            // Peers are named by SPIFFE ID, checked after the handshake (PeerIdentityVerifier).
            configuration.certificateVerification = .noHostnameVerification
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = alpn
            return try NIOSSLContext(configuration: configuration)
        }
        var server = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: privateKey)
        server.trustRoots = .certificates(roots)
        server.certificateVerification = .noHostnameVerification
        server.minimumTLSVersion = .tlsv12
        server.applicationProtocols = ["h2", "http/1.1"]
        return Snapshot(certificate: certificate, bundle: bundle, serverContext: try NIOSSLContext(configuration: server),
                        http1ClientContext: try client(["http/1.1"]), h2ClientContext: try client(["h2"]))
    }

    func renewed(success: Bool) {
        renewals.add(1, success ? "success" : "failure")
    }

    func handshakeFailed(direction: String) {
        handshakeFailures.add(1, direction)
    }

    /// Prometheus text for the identity's metrics.
    func renderMetrics() -> String {
        [expiry, renewals, roots, handshakeFailures].map { $0.render() }.joined()
    }
}
