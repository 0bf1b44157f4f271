import Crypto
import SwiftASN1
import X509

/// What a workload sends the CA: a CSR for its SPIFFE ID, signed with a key that never leaves it.
public enum WorkloadCSR {
    public static func make(for identity: SPIFFEID, privateKey: P256.Signing.PrivateKey) throws(WorkloadCAError) -> String {
        do {
            let extensions = try Certificate.Extensions {
                SubjectAlternativeNames([.uniformResourceIdentifier(identity.uri)])
            }
            let attributes = CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: extensions))])
            let csr = try CertificateSigningRequest(
                version: .v1, subject: DistinguishedName(), privateKey: .init(privateKey),
                attributes: attributes, signatureAlgorithm: .ecdsaWithSHA256)
            return try csr.serializeAsPEM().pemString
        } catch {
            throw WorkloadCAError(.invalidMaterial, "could not make a CSR: \(error)")
        }
    }
}
