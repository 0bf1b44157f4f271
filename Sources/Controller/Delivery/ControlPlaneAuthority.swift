import Foundation
import KubeClient
import KubeModel
import Logging
import PKI

/// The CA that signs the configuration server's certificate, kept in a Secret in the controller's
/// namespace so every replica (and every restart) serves under the same trust bundle, which the
/// controller publishes to each data plane's namespace as a ConfigMap.
enum ControlPlaneAuthority {
    static let secretName = "causeway-control-plane-ca"
    /// Long enough that a cluster does not meet it; the bundle format already allows several
    /// roots, so a rotation adds the new one before the old one goes.
    static let lifetime: TimeInterval = 10 * 365 * 86400
    /// The serving certificate is reissued at half this.
    static let servingLifetime: TimeInterval = 30 * 86400

    /// Reads the CA from its Secret, or makes it and stores it (another replica may win the
    /// race; then its CA is used).
    static func loadOrCreate(client: KubeClient, namespace: String, now: Date = Date(), logger: Logger) async throws -> IssuedCertificate {
        let secrets = client.resource(.secrets)
        if let existing = try await read(secrets, namespace: namespace) { return existing }
        let authority = try CertificateIssuer.authority(commonName: "causeway-control-plane-ca", lifetime: lifetime, now: now)
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": ["name": .string(secretName), "namespace": .string(namespace),
                         "labels": ["app.kubernetes.io/managed-by": "causeway"]],
            "data": ["tls.crt": .string(Base64.encode(Array(authority.certificatePEM.utf8))),
                     "tls.key": .string(Base64.encode(Array(authority.privateKeyPEM.utf8)))],
        ]
        do {
            _ = try await secrets.create(secret, namespace: namespace)
            logger.info("created the control-plane CA", metadata: ["secret": "\(namespace)/\(secretName)"])
            return authority
        } catch let error as KubeAPIError where error.code == .alreadyExists {
            guard let existing = try await read(secrets, namespace: namespace) else { throw error }
            return existing
        }
    }

    private static func read(_ secrets: DynamicResourceClient, namespace: String) async throws -> IssuedCertificate? {
        do {
            let secret = try await secrets.get(secretName, namespace: namespace)
            guard let crt = secret[path: ["data", "tls.crt"]]?.stringValue, let key = secret[path: ["data", "tls.key"]]?.stringValue,
                  case .success(let crtBytes) = Base64.decode(crt), case .success(let keyBytes) = Base64.decode(key) else {
                throw KubeClientError("Secret \(namespace)/\(secretName) lacks tls.crt or tls.key")
            }
            return try IssuedCertificate(certificatePEM: String(decoding: crtBytes, as: UTF8.self),
                                         privateKeyPEM: String(decoding: keyBytes, as: UTF8.self))
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
    }
}
