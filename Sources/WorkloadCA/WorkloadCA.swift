import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import X509

/// Signs workload certificates: checks the CSR against the identity the caller proved, then
/// issues a leaf for that SPIFFE ID usable for TLS client and server, with a random serial and a
/// lifetime clamped by the policy and by the issuer's own remaining life. Pure: the caller passes
/// the time and the random number generator.
public struct WorkloadCA: Sendable {
    public var authority: SigningAuthority
    public var policy: IssuancePolicy

    public init(authority: SigningAuthority, policy: IssuancePolicy) {
        self.authority = authority
        self.policy = policy
    }

    /// `requestedLifetime` nil means the policy's default.
    public func sign(_ csr: CertificateSigningRequest, for identity: SPIFFEID, requestedLifetime: TimeInterval? = nil,
                     now: Date, generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> WorkloadCertificate {
        try CertificateRequestCheck.check(csr, for: identity, policy: policy)
        let issuerNotAfter = ([authority.certificate] + authority.chain).map(\.notValidAfter).min() ?? authority.notAfter
        guard now >= authority.notBefore, now < issuerNotAfter else {
            throw WorkloadCAError(.issuerNotValid, "the issuing CA is valid from \(authority.notBefore) to \(issuerNotAfter); now is \(now)")
        }
        let lifetime = try policy.lifetime(requested: requestedLifetime)
        let notBefore = max(now.addingTimeInterval(-Backdate.seconds), authority.notBefore)
        let notAfter = min(now.addingTimeInterval(lifetime), issuerNotAfter)
        do {
            // No signatureAlgorithm: swift-certificates takes the one the issuer's key goes with
            // (a plugged CA may be P-384 or RSA).
            let leaf = try Certificate(
                version: .v3, serialNumber: SerialNumbers.make(using: &generator), publicKey: csr.publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: authority.certificate.subject, subject: DistinguishedName(),
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    // keyEncipherment only for RSA subject keys: an ECDSA key cannot encipher (RFC 5480 §3).
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: _RSA.Signing.PublicKey(csr.publicKey) != nil))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    // With an empty subject the SAN must be critical (RFC 5280 §4.2.1.6).
                    Critical(SubjectAlternativeNames([.uniformResourceIdentifier(identity.uri)]))
                    if let authorityKeyID = try? authority.certificate.extensions.subjectKeyIdentifier {
                        AuthorityKeyIdentifier(keyIdentifier: authorityKeyID.keyIdentifier)
                    }
                },
                issuerPrivateKey: authority.privateKey)
            return WorkloadCertificate(identity: identity, leaf: leaf,
                                       intermediates: authority.isSelfSigned ? [] : [authority.certificate] + authority.chain)
        } catch let error as WorkloadCAError {
            throw error
        } catch {
            throw WorkloadCAError(.invalidMaterial, "could not sign: \(error)")
        }
    }

    /// Parses, checks and signs a PEM CSR.
    public func sign(pem: String, for identity: SPIFFEID, requestedLifetime: TimeInterval? = nil,
                     now: Date, generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> WorkloadCertificate {
        try sign(CertificateRequestCheck.parse(pem: pem), for: identity, requestedLifetime: requestedLifetime, now: now, generator: &generator)
    }
}
