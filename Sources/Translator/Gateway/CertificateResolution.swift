import KubeModel
import KubeTypes
import ProxyConfig
import SwiftASN1
import X509

/// Resolves a listener's `tls.certificateRefs` to certificate chains and keys the proxy can load,
/// checking each the way the spec asks: kind, ReferenceGrant, existence, then content.
struct CertificateResolver {
    let index: SnapshotIndex

    func resolve(_ refs: [GatewayAPI.SecretObjectReference], gatewayNamespace: String, hostname: String?)
        -> Result<[TLSCertificate], BackendProblem>
    {
        guard !refs.isEmpty else {
            return .failure(BackendProblem(
                reason: ListenerReason.invalidCertificateRef, message: "an HTTPS listener needs tls.certificateRefs"))
        }
        var certificates: [TLSCertificate] = []
        for ref in refs {
            let namespace = ref.namespace ?? gatewayNamespace
            guard ref.effectiveGroup == "", ref.effectiveKind == "Secret" else {
                return .failure(BackendProblem(
                    reason: ListenerReason.invalidCertificateRef,
                    message: "certificateRef \(ref.name): kind \(groupKind(ref.effectiveKind, ref.effectiveGroup)) is not supported; use a core Secret of type kubernetes.io/tls"))
            }
            let permitted = index.referenceAllowed(
                from: (GatewayAPI.group, "Gateway", gatewayNamespace), to: ("", "Secret", namespace, ref.name))
            guard permitted else {
                return .failure(BackendProblem(
                    reason: ListenerReason.refNotPermitted,
                    message: "certificateRef \(namespace)/\(ref.name) is in another namespace and no ReferenceGrant in \(namespace) allows Gateways from \(gatewayNamespace) to refer to it"))
            }
            guard let secret = index.secrets["\(namespace)/\(ref.name)"] else {
                return .failure(BackendProblem(
                    reason: ListenerReason.invalidCertificateRef, message: "Secret \(namespace)/\(ref.name) not found"))
            }
            switch Self.keyPair(secret) {
            case .success(let (chain, key)):
                certificates.append(TLSCertificate(
                    hostnames: hostname.map { [$0] } ?? [], certificateChain: .pem(chain), privateKey: .pem(key)))
            case .failure(let problem):
                return .failure(BackendProblem(
                    reason: ListenerReason.invalidCertificateRef,
                    message: "Secret \(namespace)/\(ref.name): \(problem.message)"))
            }
        }
        return .success(certificates)
    }

    /// The PEM chain and key of a Secret, checked to parse and to belong together.
    static func keyPair(_ secret: Secret) -> Result<(String, String), BackendProblem> {
        func text(_ key: String) -> String? {
            guard let encoded = secret.data?[key], case .success(let bytes) = Base64.decode(encoded) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let chain = text("tls.crt"), !chain.isEmpty else {
            return .failure(BackendProblem(reason: ListenerReason.invalidCertificateRef, message: "no tls.crt"))
        }
        guard let key = text("tls.key"), !key.isEmpty else {
            return .failure(BackendProblem(reason: ListenerReason.invalidCertificateRef, message: "no tls.key"))
        }
        let certificate: Certificate
        do {
            let documents = try PEMDocument.parseMultiple(pemString: chain)
            guard let first = documents.first else { throw CertificateProblem("no PEM block") }
            certificate = try Certificate(pemDocument: first)
            for other in documents.dropFirst() { _ = try Certificate(pemDocument: other) }
        } catch {
            return .failure(BackendProblem(
                reason: ListenerReason.invalidCertificateRef, message: "tls.crt is not a PEM certificate chain (\(error))"))
        }
        let privateKey: Certificate.PrivateKey
        do {
            privateKey = try Certificate.PrivateKey(pemEncoded: key)
        } catch {
            return .failure(BackendProblem(
                reason: ListenerReason.invalidCertificateRef, message: "tls.key is not a PEM private key (\(error))"))
        }
        guard privateKey.publicKey == certificate.publicKey else {
            return .failure(BackendProblem(
                reason: ListenerReason.invalidCertificateRef, message: "tls.key does not belong to the first certificate of tls.crt"))
        }
        return .success((chain, key))
    }
}

private struct CertificateProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
