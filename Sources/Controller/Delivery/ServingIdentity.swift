import Foundation
import Logging
import NIOSSL
import PKI

/// The configuration server's certificate: issued by the control-plane CA when the controller
/// starts and again at half its lifetime, so it never expires while the controller runs.
final class ServingIdentity: Sendable {
    let authority: IssuedCertificate
    let names: [String]

    init(authority: IssuedCertificate, names: [String]) {
        self.authority = authority
        self.names = names
    }

    func issue(now: Date = Date()) throws -> IssuedCertificate {
        try CertificateIssuer.issue(commonName: "causeway-controller", names: names, usage: .server,
                                    lifetime: ControlPlaneAuthority.servingLifetime, now: now, by: authority)
    }

    func context(for certificate: IssuedCertificate? = nil) throws -> NIOSSLContext {
        let leaf = try certificate ?? issue()
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(leaf.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    /// Reissues the certificate at half its lifetime, forever (until cancelled).
    func renew(into server: ConfigServer, logger: Logger) async {
        var renewal = ControlPlaneAuthority.servingLifetime / 2
        while !Task.isCancelled {
            do { try await Task.sleep(for: .seconds(renewal)) } catch { return }
            do {
                let certificate = try issue()
                server.replaceTLS(try context(for: certificate))
                renewal = certificate.renewalTime.timeIntervalSinceNow
                logger.info("renewed the configuration server's certificate", metadata: ["notAfter": "\(certificate.notAfter)"])
            } catch {
                renewal = 60
                logger.error("could not renew the configuration server's certificate; retrying in a minute", metadata: ["error": "\(error)"])
            }
        }
    }
}
