import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WorkloadCA

/// The CA endpoint's requests, answered beside the configuration stream on the same HTTPS port:
/// a workload proves its service account with a projected token (audience `causeway-ca`), and
/// gets a certificate for exactly that identity.
final class CAService: Sendable {
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var body: [UInt8]
    }

    let authority: MeshAuthority
    let authenticator: ProxyAuthenticator
    let logger: Logger

    init(authority: MeshAuthority, authenticator: ProxyAuthenticator, logger: Logger) {
        self.authority = authority
        self.authenticator = authenticator
        self.logger = logger
    }

    static func handles(_ path: String) -> Bool { path == CAProtocol.certificatesPath || path == CAProtocol.trustBundlePath }

    func answer(method: HTTPMethod, path: String, headers: HTTPHeaders, body: ByteBuffer) async -> Answer {
        let identity: ProxyAuthenticator.Identity
        do {
            identity = try await authenticator.authenticate(bearer: headers.first(name: "authorization"))
        } catch {
            authority.metrics.caRefusals.add(1, "Unauthenticated")
            return refusal(.unauthorized, code: "Unauthenticated", "\(error)")
        }
        guard let issuing = authority.current else {
            return refusal(.serviceUnavailable, code: WorkloadCAError.Code.issuerNotValid.name, "the mesh CA has not loaded its keys yet")
        }
        if let pod = headers.first(name: CAProtocol.podHeader), !pod.isEmpty {
            authority.report(pod: "\(identity.namespace)/\(pod)", bundle: headers.first(name: CAProtocol.bundleHeader) ?? "")
        }
        switch (method, path) {
        case (.GET, CAProtocol.trustBundlePath):
            return json(.ok, TrustBundleResponse(trustBundle: issuing.bundle.pem, fingerprint: issuing.bundle.fingerprint))
        case (.POST, CAProtocol.certificatesPath):
            guard let request = try? JSONDecoder().decode(CertificateRequest.self, from: Data(body.readableBytesView)) else {
                authority.metrics.caRefusals.add(1, WorkloadCAError.Code.malformedRequest.name)
                return refusal(.badRequest, code: WorkloadCAError.Code.malformedRequest.name, "the body must be a JSON CertificateRequest {\"csr\": PEM}")
            }
            let spiffe = SPIFFEID(trustDomain: issuing.ca.policy.trustDomain, namespace: identity.namespace,
                                  serviceAccount: identity.serviceAccount)
            do {
                let (certificate, bundle) = try authority.sign(csr: request.csr, for: spiffe,
                                                               lifetime: request.lifetimeSeconds.map(TimeInterval.init))
                logger.debug("signed a workload certificate", metadata: [
                    "identity": "\(spiffe)", "serial": "\(certificate.serialNumber)", "notAfter": "\(certificate.notAfter)",
                ])
                return json(.ok, CertificateResponse(certificateChain: certificate.chainPEM, trustBundle: bundle.pem,
                                                     trustBundleFingerprint: bundle.fingerprint))
            } catch {
                logger.warning("refused a certificate request", metadata: ["identity": "\(spiffe)", "error": "\(error)"])
                let status: HTTPResponseStatus = error.code == .identityMismatch || error.code == .wrongTrustDomain ? .forbidden
                    : error.code == .issuerNotValid ? .serviceUnavailable : .badRequest
                return refusal(status, code: error.code.name, error.message)
            }
        default:
            return refusal(.methodNotAllowed, code: "MethodNotAllowed",
                           "use POST \(CAProtocol.certificatesPath) or GET \(CAProtocol.trustBundlePath)")
        }
    }

    private func json(_ status: HTTPResponseStatus, _ value: some Encodable) -> Answer {
        Answer(status: status, body: Array((try? JSONEncoder().encode(value)) ?? Data()))
    }

    private func refusal(_ status: HTTPResponseStatus, code: String, _ message: String) -> Answer {
        json(status, CARefusal(code: code, message: message))
    }
}
