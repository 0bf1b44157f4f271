import _CryptoExtras
import Crypto
import SwiftASN1
import X509

/// The checks a CSR passes before the CA signs it: it parses, its signature verifies with its own
/// key (proof of possession), its key type is allowed, and its only SAN is the identity the
/// caller authenticated as.
public enum CertificateRequestCheck {
    public static func parse(pem: String) throws(WorkloadCAError) -> CertificateSigningRequest {
        do {
            return try CertificateSigningRequest(pemEncoded: pem)
        } catch {
            if let bits = shortRSAKeyBits(pem: pem) {
                throw WorkloadCAError(.keyTypeNotAllowed, "RSA keys must have at least 2048 bits; this one has \(bits)")
            }
            throw WorkloadCAError(.malformedRequest, "not a PEM certificate signing request: \(error)")
        }
    }

    /// swift-certificates cannot read an RSA key under 2048 bits, so a CSR holding one fails to
    /// parse; this finds the key's size (CertificationRequestInfo's third field) to say so. The
    /// modulus is measured from the DER directly: swift-crypto's RSA key parser frees its key
    /// twice when the bytes are not an RSA key, which aborts the process now and then.
    static func shortRSAKeyBits(pem: String) -> Int? {
        guard let der = try? PEMDocument(pemString: pem).derBytes, let request = try? DER.parse(der),
              case .constructed(let parts) = request.content, let info = parts.first(where: { _ in true }),
              case .constructed(let fields) = info.content, let spki = Array(fields).dropFirst(2).first,
              case .constructed(let spkiFields) = spki.content else { return nil }
        let spkiNodes = Array(spkiFields)
        guard spkiNodes.count == 2, case .constructed(let algorithm) = spkiNodes[0].content,
              let algorithmOID = algorithm.first(where: { _ in true }),
              let oid = try? ASN1ObjectIdentifier(derEncoded: algorithmOID), oid == Self.rsaEncryption,
              let key = try? ASN1BitString(derEncoded: spkiNodes[1]), let rsaKey = try? DER.parse(Array(key.bytes)),
              case .constructed(let rsaFields) = rsaKey.content, let modulus = rsaFields.first(where: { _ in true }),
              case .primitive(let modulusBytes) = modulus.content else { return nil }
        let significant = modulusBytes.drop(while: { $0 == 0 })
        guard let first = significant.first else { return nil }
        let bits = (significant.count - 1) * 8 + (8 - first.leadingZeroBitCount)
        return bits < 2048 ? bits : nil
    }

    /// `rsaEncryption` (RFC 8017, appendix A.1).
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]

    public static func check(_ csr: CertificateSigningRequest, for identity: SPIFFEID,
                             policy: IssuancePolicy) throws(WorkloadCAError) {
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw WorkloadCAError(.invalidSignature, "the CSR's signature does not verify with its public key")
        }
        let keyType = try self.keyType(of: csr.publicKey, policy: policy)
        guard policy.allowedKeyTypes.contains(keyType) else {
            throw WorkloadCAError(.keyTypeNotAllowed, "\(keyType.rawValue) keys are not issued for; allowed: "
                + policy.allowedKeyTypes.map(\.rawValue).sorted().joined(separator: ", "))
        }
        guard identity.trustDomain == policy.trustDomain else {
            throw WorkloadCAError(.wrongTrustDomain, "\(identity) is not in trust domain \(policy.trustDomain)")
        }
        let names: [GeneralName]
        do {
            guard let request = try csr.attributes.extensionRequest,
                  let sans = try request.extensions.subjectAlternativeNames else {
                throw WorkloadCAError(.identityMismatch, "the CSR has no subjectAltName; it must name \(identity)")
            }
            names = Array(sans)
        } catch let error as WorkloadCAError {
            throw error
        } catch {
            throw WorkloadCAError(.malformedRequest, "the CSR's extension request cannot be read: \(error)")
        }
        guard names.count == 1, case .uniformResourceIdentifier(let uri) = names[0] else {
            throw WorkloadCAError(.identityMismatch, "the CSR must carry exactly one SAN, the URI \(identity); it has \(names.count)")
        }
        let requested: SPIFFEID
        do {
            requested = try SPIFFEID(parsing: uri)
        } catch {
            throw WorkloadCAError(.identityMismatch, "the CSR's SAN \(uri) is not \(identity): \(error.message)")
        }
        guard requested.trustDomain == policy.trustDomain else {
            throw WorkloadCAError(.wrongTrustDomain, "the CSR asks for \(uri), outside trust domain \(policy.trustDomain)")
        }
        guard requested == identity else {
            throw WorkloadCAError(.identityMismatch, "the CSR asks for \(uri), but the caller is \(identity)")
        }
    }

    static func keyType(of key: Certificate.PublicKey, policy: IssuancePolicy) throws(WorkloadCAError) -> IssuancePolicy.KeyType {
        if P256.Signing.PublicKey(key) != nil { return .ecdsaP256 }
        if P384.Signing.PublicKey(key) != nil { return .ecdsaP384 }
        if let rsa = _RSA.Signing.PublicKey(key) {
            guard rsa.keySizeInBits >= policy.minimumRSABits else {
                throw WorkloadCAError(.keyTypeNotAllowed, "RSA keys must have at least \(policy.minimumRSABits) bits; this one has \(rsa.keySizeInBits)")
            }
            return .rsa
        }
        throw WorkloadCAError(.keyTypeNotAllowed, "only ECDSA P-256/P-384 and RSA keys are issued for")
    }
}
