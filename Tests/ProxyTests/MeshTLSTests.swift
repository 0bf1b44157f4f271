import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ProxyConfig
import Testing
import WorkloadCA
@testable import Proxy

/// Two proxies talking mTLS with workload certificates from an in-process CA: a client proxy
/// (plain HTTP in, mTLS out) and a server proxy (mesh listener in, plain HTTP to the backend).
@Suite struct MeshTLSTests {
    static let trustDomain = "cluster.local"
    static let clientID = SPIFFEID(trustDomain: trustDomain, namespace: "mesh", serviceAccount: "client")
    static let serverID = SPIFFEID(trustDomain: trustDomain, namespace: "mesh", serviceAccount: "server")

    /// A root and intermediate that sign workload certificates "now" (the wall clock: NIOSSL
    /// checks validity against it).
    struct CA {
        let root: SigningAuthority
        let ca: WorkloadCA

        init() throws {
            var generator = SystemRandomNumberGenerator()
            // Made three hours ago, so the tests can also issue certificates that have already expired.
            let made = Date().addingTimeInterval(-3 * 3600)
            root = try SigningAuthority.makeRoot(trustDomain: MeshTLSTests.trustDomain, lifetime: 86400, now: made, generator: &generator)
            let intermediate = try root.makeIntermediate(trustDomain: MeshTLSTests.trustDomain, lifetime: 86400, now: made,
                                                         generator: &generator)
            ca = WorkloadCA(authority: intermediate, policy: IssuancePolicy(trustDomain: MeshTLSTests.trustDomain, minimumLifetime: 1))
        }

        var bundle: TrustBundle { TrustBundle(roots: [root.certificate]) }

        func issue(_ id: SPIFFEID, at now: Date = Date(), lifetime: TimeInterval = 3600) throws -> (WorkloadCertificate, P256.Signing.PrivateKey) {
            let key = P256.Signing.PrivateKey()
            var generator = SystemRandomNumberGenerator()
            let certificate = try ca.sign(pem: try WorkloadCSR.make(for: id, privateKey: key), for: id, requestedLifetime: lifetime,
                                          now: now, generator: &generator)
            return (certificate, key)
        }

        func identity(_ id: SPIFFEID, bundle: TrustBundle? = nil) throws -> WorkloadIdentity {
            let identity = WorkloadIdentity(trustDomain: MeshTLSTests.trustDomain)
            let (certificate, key) = try issue(id)
            try identity.install(certificate: certificate, key: key, bundle: bundle ?? self.bundle)
            return identity
        }
    }

    /// The pair, on one event loop group.
    struct Pair {
        let group: MultiThreadedEventLoopGroup
        let backend: TestBackend
        let server: ProxyServer
        let client: ProxyServer
        let serverIdentity: WorkloadIdentity
        let clientIdentity: WorkloadIdentity

        var serverPort: Int { server.boundPort(listener: "mesh-in")! }
        var clientPort: Int { client.boundPort(listener: "http")! }

        static func start(ca: CA, expecting: [String] = [serverID.uri], allowed: [String] = [],
                          maxRequestsPerConnection: Int? = nil) async throws -> Pair {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let backend = try await TestBackend.start(name: "a", group: group)
            let serverIdentity = try ca.identity(serverID)
            let clientIdentity = try ca.identity(clientID)
            let server = try await FreePort.retryingClashes {
                try await ProxyServer.start(
                    config: serverConfig(port: try await FreePort.find(group: group), backendPort: backend.port, allowed: allowed),
                    group: group, options: .init(identity: serverIdentity))
            }
            let client = try await FreePort.retryingClashes {
                try await ProxyServer.start(
                    config: clientConfig(serverPort: server.boundPort(listener: "mesh-in")!, expecting: expecting,
                                         maxRequestsPerConnection: maxRequestsPerConnection, port: try await FreePort.find(group: group)),
                    group: group, options: .init(identity: clientIdentity))
            }
            return Pair(group: group, backend: backend, server: server, client: client, serverIdentity: serverIdentity,
                        clientIdentity: clientIdentity)
        }

        static func serverConfig(port: Int, backendPort: Int, allowed: [String], version: String = "s1") -> ProxyConfig {
            ProxyConfig(version: version, listeners: [
                Listener(name: "mesh-in", address: "127.0.0.1", port: port, mtls: MeshListenerTLS(allowedPrincipals: allowed),
                         virtualHosts: [VirtualHost(name: "any", routes: [TestConfig.route("r", rules: [
                             HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")]),
                         ])])]),
            ], backends: [TestConfig.backend("a", port: backendPort)])
        }

        static func clientConfig(serverPort: Int, expecting: [String], maxRequestsPerConnection: Int? = nil, port: Int,
                                 version: String = "c1") -> ProxyConfig {
            var backend = Backend(name: "server", endpoints: [Endpoint(host: "127.0.0.1", port: serverPort)],
                                  mtls: MeshUpstreamTLS(identities: expecting))
            backend.connectionPool.maxRequestsPerConnection = maxRequestsPerConnection
            return ProxyConfig(version: version, listeners: [
                Listener(name: "http", address: "127.0.0.1", port: port,
                         virtualHosts: [VirtualHost(name: "any", routes: [TestConfig.route("r", rules: [
                             HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "server")]),
                         ])])]),
            ], backends: [backend])
        }

        func stop() async {
            await client.shutdown()
            await server.shutdown()
            await backend.stop()
            try? await group.shutdownGracefully()
        }
    }

    /// The `x-forwarded-client-cert` line of the backend's echo.
    static func forwardedClientCert(_ response: TestResponse) -> String? {
        response.body.split(separator: "\n").first { $0.hasPrefix("x-forwarded-client-cert: ") }
            .map { String($0.dropFirst("x-forwarded-client-cert: ".count)) }
    }

    @Test func thePairForwardsWithBothIdentitiesAndNoClientCanForgeThem() async throws {
        let ca = try CA()
        let pair = try await Pair.start(ca: ca)
        defer { Task { await pair.stop() } }
        let response = try await TestHTTPClient.get("/hello", port: pair.clientPort, group: pair.group,
                                                    headers: [("x-forwarded-client-cert", "URI=spiffe://cluster.local/ns/evil/sa/evil")])
        #expect(response.status == 200)
        let xfcc = try #require(Self.forwardedClientCert(response), "\(response.body)")
        let clientLeaf = try #require(pair.clientIdentity.current).certificate.leaf
        #expect(xfcc == "By=\(Self.serverID.uri);Hash=\(Fingerprint.sha256(clientLeaf));URI=\(Self.clientID.uri)")
        #expect(!response.body.contains("evil"))
        let metrics = await pair.client.prometheusText()
        #expect(metrics.contains("causeway_proxy_workload_certificate_expiry_timestamp_seconds "))
        #expect(metrics.contains("causeway_proxy_trust_bundle_roots 1"))
    }

    @Test func aBackendThatIsNotTheExpectedIdentityGetsNoRequestAndTheProxyKeepsServing() async throws {
        let ca = try CA()
        let other = SPIFFEID(trustDomain: Self.trustDomain, namespace: "mesh", serviceAccount: "other").uri
        let pair = try await Pair.start(ca: ca, expecting: [other])
        defer { Task { await pair.stop() } }
        let refused = try await TestHTTPClient.get("/secret", port: pair.clientPort, group: pair.group)
        #expect(refused.status == 502 || refused.status == 503)
        #expect(pair.backend.requests.load(ordering: .relaxed) == 0)
        #expect(await pair.client.prometheusText().contains("causeway_proxy_mtls_handshake_failures_total{direction=\"upstream\"} 1"))

        try await pair.client.apply(Pair.clientConfig(serverPort: pair.serverPort, expecting: [Self.serverID.uri], port: pair.clientPort,
                                                      version: "c2"))
        let served = try await TestHTTPClient.get("/ok", port: pair.clientPort, group: pair.group)
        #expect(served.status == 200)
    }

    /// A direct TLS client to the server proxy's mesh listener, presenting `certificate` (or none).
    func call(_ pair: Pair, presenting certificate: (WorkloadCertificate, P256.Signing.PrivateKey)?, trusting bundle: TrustBundle) async -> Int? {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(bundle.pem.utf8)))
            configuration.certificateVerification = .noHostnameVerification
            if let (leaf, key) = certificate {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(leaf.chainPEM.utf8)).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
            }
            let client = try await TestHTTPClient.connect(port: pair.serverPort, group: pair.group,
                                                          tls: try NIOSSLContext(configuration: configuration))
            defer { Task { await client.close() } }
            return try await client.request(.GET, "/direct").status
        } catch {
            // With TLS 1.3 a refused client certificate shows as a failed first exchange.
            return nil
        }
    }

    @Test func clientsWithoutAValidWorkloadCertificateAreRefused() async throws {
        let ca = try CA()
        let pair = try await Pair.start(ca: ca, allowed: [Self.clientID.uri])
        defer { Task { await pair.stop() } }
        #expect(await call(pair, presenting: try ca.issue(Self.clientID), trusting: ca.bundle) == 200)
        #expect(await call(pair, presenting: nil, trusting: ca.bundle) == nil)
        let stranger = try CA()
        #expect(await call(pair, presenting: try stranger.issue(Self.clientID), trusting: ca.bundle) == nil)
        let expired = try ca.issue(Self.clientID, at: Date().addingTimeInterval(-7200), lifetime: 60)
        #expect(await call(pair, presenting: expired, trusting: ca.bundle) == nil)
        let notAllowed = SPIFFEID(trustDomain: Self.trustDomain, namespace: "mesh", serviceAccount: "intruder")
        #expect(await call(pair, presenting: try ca.issue(notAllowed), trusting: ca.bundle) == nil)
        #expect(pair.backend.requests.load(ordering: .relaxed) == 1)
        // Still serving after all that.
        #expect(await call(pair, presenting: try ca.issue(Self.clientID), trusting: ca.bundle) == 200)
        let failures = await pair.server.prometheusText().split(separator: "\n")
            .first { $0.hasPrefix("causeway_proxy_mtls_handshake_failures_total{direction=\"downstream\"}") }
        #expect(failures.flatMap { $0.split(separator: " ").last.flatMap { Int($0) } } ?? 0 >= 3)
    }

    @Test func changingWhoMayConnectAppliesToNewConnectionsWithoutRebinding() async throws {
        let ca = try CA()
        let pair = try await Pair.start(ca: ca, allowed: [Self.clientID.uri])
        defer { Task { await pair.stop() } }
        let intruder = SPIFFEID(trustDomain: Self.trustDomain, namespace: "mesh", serviceAccount: "intruder")
        #expect(await call(pair, presenting: try ca.issue(intruder), trusting: ca.bundle) == nil)
        let port = pair.serverPort
        try await pair.server.apply(Pair.serverConfig(port: port, backendPort: pair.backend.port,
                                                      allowed: [Self.clientID.uri, intruder.uri], version: "s2"))
        #expect(pair.serverPort == port)
        #expect(await call(pair, presenting: try ca.issue(intruder), trusting: ca.bundle) == 200)
    }

    @Test func aNewCertificateServesNewConnectionsWhileOpenOnesKeepTheirs() async throws {
        let ca = try CA()
        // Two requests per upstream connection: the third request opens a new one.
        let pair = try await Pair.start(ca: ca, maxRequestsPerConnection: 2)
        defer { Task { await pair.stop() } }
        let client = try await TestHTTPClient.connect(port: pair.clientPort, group: pair.group)
        defer { Task { await client.close() } }
        let oldHash = Fingerprint.sha256(try #require(pair.clientIdentity.current).certificate.leaf)
        let first = try await client.request(.GET, "/1")
        #expect(Self.forwardedClientCert(first)?.contains("Hash=\(oldHash)") == true)

        let (renewed, key) = try ca.issue(Self.clientID)
        try pair.clientIdentity.install(certificate: renewed, key: key, bundle: ca.bundle)
        let second = try await client.request(.GET, "/2")
        #expect(Self.forwardedClientCert(second)?.contains("Hash=\(oldHash)") == true, "the open upstream connection keeps its certificate")
        let third = try await client.request(.GET, "/3")
        #expect(Self.forwardedClientCert(third)?.contains("Hash=\(Fingerprint.sha256(renewed.leaf))") == true)
        #expect(pair.backend.requests.load(ordering: .relaxed) == 3)
    }

    @Test func aSecondRootInTheBundleIsTrustedAsSoonAsItIsInstalled() async throws {
        let ca = try CA()
        let pair = try await Pair.start(ca: ca)
        defer { Task { await pair.stop() } }
        let next = try CA()
        let fromNextRoot = try next.issue(Self.clientID)
        #expect(await call(pair, presenting: fromNextRoot, trusting: ca.bundle) == nil)
        try pair.serverIdentity.install(bundle: TrustBundle(roots: [ca.root.certificate, next.root.certificate]))
        #expect(await call(pair, presenting: fromNextRoot, trusting: ca.bundle) == 200)
        #expect(await call(pair, presenting: try ca.issue(Self.clientID), trusting: ca.bundle) == 200)
        #expect(await pair.server.prometheusText().contains("causeway_proxy_trust_bundle_roots 2"))
    }
}
