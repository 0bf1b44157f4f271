import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import Testing
import WorkloadCA
import X509


/// Fixed instants, identities and a root → intermediate hierarchy; never the wall clock.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let trustDomain = "cluster.local"
    static let identity = SPIFFEID(trustDomain: "cluster.local", namespace: "shop", serviceAccount: "web")
    static let day: TimeInterval = 86400
    static let year: TimeInterval = 365 * 86400

    struct Hierarchy {
        var root: SigningAuthority
        var intermediate: SigningAuthority
        var bundle: TrustBundle { TrustBundle(roots: [root.certificate]) }
        func ca(_ policy: IssuancePolicy = IssuancePolicy(trustDomain: Fixture.trustDomain)) -> WorkloadCA {
            WorkloadCA(authority: intermediate, policy: policy)
        }
    }

    static func hierarchy(at now: Date = Fixture.now, rootLifetime: TimeInterval = 10 * year,
                          intermediateLifetime: TimeInterval = year,
                          generator: inout some RandomNumberGenerator) throws -> Hierarchy {
        let root = try SigningAuthority.makeRoot(trustDomain: trustDomain, lifetime: rootLifetime, now: now, generator: &generator)
        let intermediate = try root.makeIntermediate(trustDomain: trustDomain, lifetime: intermediateLifetime, now: now,
                                                     generator: &generator)
        return Hierarchy(root: root, intermediate: intermediate)
    }

    /// What a workload sends: `WorkloadCSR.make`'s PEM.
    static func csrPEM(for identity: SPIFFEID = Fixture.identity, key: P256.Signing.PrivateKey = .init()) throws -> String {
        try WorkloadCSR.make(for: identity, privateKey: key)
    }

    /// A CSR built with swift-certificates directly: any key, any SANs (nil: no extension request).
    static func csr(key: Certificate.PrivateKey, sans: [GeneralName]?,
                    signatureAlgorithm: Certificate.SignatureAlgorithm = .ecdsaWithSHA256) throws -> CertificateSigningRequest {
        var attributes = CertificateSigningRequest.Attributes()
        if let sans {
            let extensions = try Certificate.Extensions { SubjectAlternativeNames(sans) }
            attributes = CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: extensions))])
        }
        return try CertificateSigningRequest(version: .v1, subject: DistinguishedName(), privateKey: key,
                                             attributes: attributes, signatureAlgorithm: signatureAlgorithm)
    }

    static func pem(_ csr: CertificateSigningRequest) throws -> String { try csr.serializeAsPEM().pemString }

    static func name(_ commonName: String) throws -> DistinguishedName {
        try DistinguishedName {
            OrganizationName(trustDomain)
            CommonName(commonName)
        }
    }

    /// A certificate built by hand (for plugged CAs and misissued certificates the CA never makes).
    static func certificate(subject: DistinguishedName, publicKey: Certificate.PublicKey, issuer: DistinguishedName,
                            issuerKey: Certificate.PrivateKey, notBefore: Date, notAfter: Date, isCA: Bool,
                            pathLength: Int? = nil, sans: [GeneralName] = [], serial: UInt8 = 7) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: .init(bytes: [serial, 0x42]), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuer, subject: subject,
            extensions: try Certificate.Extensions {
                if isCA {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: pathLength))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                } else {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                }
                SubjectKeyIdentifier(hash: publicKey)
                if !sans.isEmpty { Critical(SubjectAlternativeNames(sans)) }
            },
            issuerPrivateKey: issuerKey)
    }

    /// Leaf first, then intermediates: what a peer presents.
    static func chain(_ certificate: WorkloadCertificate) -> [Certificate] { [certificate.leaf] + certificate.intermediates }
}

/// RSA keys are slow to generate in debug builds: each is made once for the whole test run.
enum RSAKeys {
    static let bits2048: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let bits1024: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
}

/// Runs `body`, which must throw a `WorkloadCAError` with `code`; returns that error for further checks.
@discardableResult
func expectRefusal<T>(_ code: WorkloadCAError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> T) -> WorkloadCAError? {
    do {
        let value = try body()
        Issue.record("expected a \(code) refusal, got \(value)", sourceLocation: sourceLocation)
    } catch let error as WorkloadCAError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a WorkloadCAError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@discardableResult
func expectRefusal<T>(_ code: WorkloadCAError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () async throws -> T) async -> WorkloadCAError? {
    do {
        let value = try await body()
        Issue.record("expected a \(code) refusal, got \(value)", sourceLocation: sourceLocation)
    } catch let error as WorkloadCAError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a WorkloadCAError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
