import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WorkloadCA

/// Keeps a `WorkloadIdentity` supplied from the mesh CA: a fresh P-256 key and CSR for each
/// certificate, renewal at half its life plus jitter, retries with backoff while the CA is away
/// (serving with the certificate it has), and a poll of the trust bundle, so a root rotation
/// reaches this proxy within one interval and the CA learns which bundle each proxy holds.
public final class WorkloadCertificateClient: Sendable {
    public struct Settings: Sendable {
        /// The CA's URL (the controller's configuration server), `https://host:port`.
        public var url: String
        public var caFile: String?
        /// Projected service-account token for audience `causeway-ca`, read for every request.
        public var tokenFile: String?
        public var namespace: String
        public var serviceAccount: String
        public var pod: String
        /// Asked of the CA; nil takes its default.
        public var lifetime: TimeInterval?
        public var bundlePollInterval: Duration

        public init(url: String, caFile: String?, tokenFile: String?, namespace: String, serviceAccount: String, pod: String,
                    lifetime: TimeInterval? = nil, bundlePollInterval: Duration = .seconds(30)) {
            self.url = url
            self.caFile = caFile
            self.tokenFile = tokenFile
            self.namespace = namespace
            self.serviceAccount = serviceAccount
            self.pod = pod
            self.lifetime = lifetime
            self.bundlePollInterval = bundlePollInterval
        }
    }

    let settings: Settings
    let identity: WorkloadIdentity
    let connector: ControlPlaneConnector
    let logger: Logger

    public init(settings: Settings, identity: WorkloadIdentity, group: any EventLoopGroup, logger: Logger) throws {
        self.settings = settings
        self.identity = identity
        connector = try ControlPlaneConnector(url: settings.url, caFile: settings.caFile, group: group)
        self.logger = logger
    }

    var spiffeID: SPIFFEID {
        SPIFFEID(trustDomain: identity.trustDomain, namespace: settings.namespace, serviceAccount: settings.serviceAccount)
    }

    /// Obtains and renews certificates, and polls the bundle, until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.renewForever() }
            group.addTask { await self.pollBundleForever() }
            await group.waitForAll()
        }
    }

    private func renewForever() async {
        var failures = 0
        while !Task.isCancelled {
            let wait: TimeInterval
            do {
                let certificate = try await obtain()
                failures = 0
                identity.renewed(success: true)
                wait = RenewalSchedule.renewalTime(notBefore: certificate.notBefore, notAfter: certificate.notAfter, issuedAt: Date(),
                                                   jitter: Double.random(in: 0..<1)).timeIntervalSinceNow
                logger.info("workload certificate issued", metadata: [
                    "identity": "\(certificate.identity)", "serial": "\(certificate.serialNumber)", "notAfter": "\(certificate.notAfter)",
                ])
            } catch {
                if Task.isCancelled { return }
                failures += 1
                identity.renewed(success: false)
                wait = RenewalSchedule.retryDelay(failures: failures, jitter: Double.random(in: 0..<1), now: Date(),
                                                  notAfter: identity.current?.certificate.notAfter)
                logger.warning("could not obtain a workload certificate; keeping the current one and retrying", metadata: [
                    "error": "\(error)", "retryIn": "\(wait)", "holding": "\(identity.current.map { "\($0.certificate.notAfter)" } ?? "none")",
                ])
            }
            try? await Task.sleep(for: .milliseconds(Int64(max(wait, 0.01) * 1000)))
        }
    }

    /// One CSR to the CA; the certificate is installed before this returns.
    func obtain() async throws -> WorkloadCertificate {
        let key = P256.Signing.PrivateKey()
        let csr = try WorkloadCSR.make(for: spiffeID, privateKey: key)
        let body = try JSONEncoder().encode(CertificateRequest(csr: csr, lifetimeSeconds: settings.lifetime.map { Int($0) }))
        var head = try connector.requestHead(method: .POST, uri: CAProtocol.certificatesPath, tokenFile: settings.tokenFile)
        head.headers.add(name: "content-type", value: "application/json")
        addReport(to: &head)
        let (status, answer) = try await connector.exchange(head, body: Array(body))
        guard status == .ok else { throw refusal(status, answer) }
        let response = try JSONDecoder().decode(CertificateResponse.self, from: Data(answer))
        let certificate = try WorkloadCertificate(chainPEM: response.certificateChain)
        guard certificate.identity == spiffeID else {
            throw WorkloadCAError(.identityMismatch, "the CA issued \(certificate.identity), not \(spiffeID)")
        }
        try identity.install(certificate: certificate, key: key, bundle: try TrustBundle(pem: response.trustBundle))
        return certificate
    }

    private func pollBundleForever() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.bundlePollInterval)
            if Task.isCancelled { return }
            do {
                try await pollBundle()
            } catch {
                logger.debug("trust bundle poll failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Fetches the bundle (reporting the one held) and installs it when it changed.
    func pollBundle() async throws {
        let held = identity.current?.bundle.fingerprint
        var head = try connector.requestHead(method: .GET, uri: CAProtocol.trustBundlePath, tokenFile: settings.tokenFile)
        addReport(to: &head)
        let (status, answer) = try await connector.exchange(head)
        guard status == .ok else { throw refusal(status, answer) }
        let response = try JSONDecoder().decode(TrustBundleResponse.self, from: Data(answer))
        // A certificate answer may have installed a newer bundle while this poll was in flight;
        // installing the polled one then would roll it back until the next poll.
        guard let current = identity.current, current.bundle.fingerprint == held, response.fingerprint != held else { return }
        try identity.install(bundle: try TrustBundle(pem: response.trustBundle))
        logger.info("trust bundle updated", metadata: ["roots": "\(identity.current?.bundle.roots.count ?? 0)", "fingerprint": "\(response.fingerprint)"])
    }

    private func addReport(to head: inout HTTPRequestHead) {
        head.headers.add(name: CAProtocol.podHeader, value: settings.pod)
        if let bundle = identity.current?.bundle { head.headers.add(name: CAProtocol.bundleHeader, value: bundle.fingerprint) }
    }

    private func refusal(_ status: HTTPResponseStatus, _ body: [UInt8]) -> any Error {
        if let refusal = try? JSONDecoder().decode(CARefusal.self, from: Data(body)) {
            return ControlPlaneError("the mesh CA answered \(status.code): \(refusal.code): \(refusal.message)")
        }
        return ControlPlaneError("the mesh CA answered \(status.code) \(status.reasonPhrase)")
    }
}
