import Foundation
import X509

/// A signed workload certificate and the intermediates a peer needs to reach the root.
public struct WorkloadCertificate: Sendable, Hashable {
    public var identity: SPIFFEID
    public var leaf: Certificate
    /// Intermediates above the leaf, nearest first (roots are in the trust bundle, not here).
    public var intermediates: [Certificate]

    public init(identity: SPIFFEID, leaf: Certificate, intermediates: [Certificate]) {
        self.identity = identity
        self.leaf = leaf
        self.intermediates = intermediates
    }

    /// Leaf first, then the intermediates: what a TLS endpoint presents.
    public var chainPEM: String { PEM.encode([leaf] + intermediates) }
    public var notBefore: Date { leaf.notValidBefore }
    public var notAfter: Date { leaf.notValidAfter }
    public var serialNumber: String { leaf.serialNumber.description }

    /// Reads a chain as the CA sends it (leaf first) and its identity from the leaf's URI SAN.
    public init(chainPEM: String) throws(WorkloadCAError) {
        let certificates = try PEM.certificates(chainPEM)
        guard let leaf = certificates.first else { throw WorkloadCAError(.invalidMaterial, "the certificate chain is empty") }
        self.init(identity: try SPIFFEID(of: leaf), leaf: leaf, intermediates: Array(certificates.dropFirst()))
    }
}

extension SPIFFEID {
    /// The identity a certificate carries: its one URI SAN.
    public init(of certificate: Certificate) throws(WorkloadCAError) {
        let uris: [String]
        do {
            uris = (try certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames([])).compactMap {
                if case .uniformResourceIdentifier(let uri) = $0 { return uri }
                return nil
            }
        } catch {
            throw WorkloadCAError(.malformedIdentity, "the certificate's subjectAltName cannot be read: \(error)")
        }
        guard uris.count == 1 else {
            throw WorkloadCAError(.malformedIdentity, "a workload certificate has exactly one URI SAN; this one has \(uris.count)")
        }
        try self.init(parsing: uris[0])
    }
}
