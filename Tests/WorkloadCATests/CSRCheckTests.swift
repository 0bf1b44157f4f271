import _CryptoExtras
import Crypto
import Foundation
import SwiftASN1
import TestSupport
import Testing
import WorkloadCA
import X509

/// What the CA checks in a CSR before it signs, as a caller would see the refusals on the wire
/// (`sign(pem:)`, the path the CA endpoint takes).
@Suite struct CSRCheckTests {
    typealias F = Fixture

    static let other = SPIFFEID(trustDomain: "cluster.local", namespace: "shop", serviceAccount: "admin")


    // MARK: Identity

    @Test func aCSRForAnotherServiceAccountIsRefused() throws {
        var generator = SplitMix64(seed: 20)
        let ca = try F.hierarchy(generator: &generator).ca()
        let pem = try F.csrPEM(for: Self.other)
        let error = expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        #expect(error?.message.contains("spiffe://cluster.local/ns/shop/sa/admin") == true)
    }

    @Test func aCSRForAnotherNamespaceIsRefused() throws {
        var generator = SplitMix64(seed: 21)
        let ca = try F.hierarchy(generator: &generator).ca()
        let pem = try F.csrPEM(for: SPIFFEID(trustDomain: "cluster.local", namespace: "bank", serviceAccount: "web"))
        expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test func aCSRForAnotherTrustDomainIsRefused() throws {
        var generator = SplitMix64(seed: 22)
        let ca = try F.hierarchy(generator: &generator).ca()
        let pem = try F.csrPEM(for: SPIFFEID(trustDomain: "evil.example", namespace: "shop", serviceAccount: "web"))
        expectRefusal(.wrongTrustDomain) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test func aCallerOutsideTheCAsTrustDomainIsRefused() throws {
        var generator = SplitMix64(seed: 23)
        let ca = try F.hierarchy(generator: &generator).ca()
        let stranger = SPIFFEID(trustDomain: "evil.example", namespace: "shop", serviceAccount: "web")
        let pem = try F.csrPEM(for: stranger)
        expectRefusal(.wrongTrustDomain) { try ca.sign(pem: pem, for: stranger, now: F.now, generator: &generator) }
    }

    @Test func aCSRWithTwoSANsIsRefusedEvenIfOneIsTheIdentity() throws {
        var generator = SplitMix64(seed: 24)
        let ca = try F.hierarchy(generator: &generator).ca()
        let csr = try F.csr(key: .init(P256.Signing.PrivateKey()),
                            sans: [.uniformResourceIdentifier(F.identity.uri), .dnsName("web.shop.svc.cluster.local")])
        let pem = try F.pem(csr)
        expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test func aCSRWithTheIdentityTwiceIsRefused() throws {
        var generator = SplitMix64(seed: 25)
        let ca = try F.hierarchy(generator: &generator).ca()
        let csr = try F.csr(key: .init(P256.Signing.PrivateKey()),
                            sans: [.uniformResourceIdentifier(F.identity.uri), .uniformResourceIdentifier(F.identity.uri)])
        let pem = try F.pem(csr)
        expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test func aCSRWithoutSANIsRefused() throws {
        var generator = SplitMix64(seed: 26)
        let ca = try F.hierarchy(generator: &generator).ca()
        for sans in [nil, []] as [[GeneralName]?] {
            let pem = try F.pem(try F.csr(key: .init(P256.Signing.PrivateKey()), sans: sans))
            expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        }
    }

    @Test(arguments: [
        GeneralName.dnsName("web.shop.svc.cluster.local"),
        .uniformResourceIdentifier("spiffe://cluster.local/ns/shop/sa/web/extra"),
        .uniformResourceIdentifier("https://cluster.local/ns/shop/sa/web"),
    ])
    func aCSRWhoseOnlySANIsNotTheIdentityIsRefused(san: GeneralName) throws {
        var generator = SplitMix64(seed: 27)
        let ca = try F.hierarchy(generator: &generator).ca()
        let pem = try F.pem(try F.csr(key: .init(P256.Signing.PrivateKey()), sans: [san]))
        expectRefusal(.identityMismatch) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    // MARK: Proof of possession

    /// The CSR of key A re-encoded with the signature of key B (over the same request otherwise):
    /// it parses, so the refusal is `.invalidSignature`, not `.malformedRequest`.
    @Test func aCSRSignedByAnotherKeyIsRefusedAsInvalidSignature() throws {
        var generator = SplitMix64(seed: 28)
        let ca = try F.hierarchy(generator: &generator).ca()
        let a = try CertificateRequestCheck.parse(pem: try F.csrPEM())
        let b = try CertificateRequestCheck.parse(pem: try F.csrPEM())
        let forged = try CertificateSigningRequest(version: a.version, subject: a.subject, publicKey: a.publicKey,
                                                   attributes: a.attributes, signatureAlgorithm: a.signatureAlgorithm,
                                                   signature: b.signature)
        let pem = try F.pem(forged)
        expectRefusal(.invalidSignature) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        expectRefusal(.invalidSignature) { try ca.sign(forged, for: F.identity, now: F.now, generator: &generator) }
    }

    /// A CSR whose identity was swapped after signing: the signature no longer covers the request.
    @Test func aCSRWhoseSANWasSwappedAfterSigningIsRefused() throws {
        var generator = SplitMix64(seed: 29)
        let ca = try F.hierarchy(generator: &generator).ca()
        let key = P256.Signing.PrivateKey()
        let honest = try CertificateRequestCheck.parse(pem: try F.csrPEM(for: Self.other, key: key))
        let extensions = try Certificate.Extensions { SubjectAlternativeNames([.uniformResourceIdentifier(F.identity.uri)]) }
        let swapped = try CertificateSigningRequest(
            version: honest.version, subject: honest.subject, publicKey: honest.publicKey,
            attributes: .init([try .init(ExtensionRequest(extensions: extensions))]),
            signatureAlgorithm: honest.signatureAlgorithm, signature: honest.signature)
        let pem = try F.pem(swapped)
        expectRefusal(.invalidSignature) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    /// Flipping the last byte of the DER changes the low byte of the ECDSA `s` integer: the
    /// encoding stays well-formed, so the CSR parses and its signature fails: `.invalidSignature`.
    @Test func aFlippedSignatureByteIsAnInvalidSignature() throws {
        var generator = SplitMix64(seed: 30)
        let ca = try F.hierarchy(generator: &generator).ca()
        var der = try F.derBytes(pem: try F.csrPEM())
        der[der.count - 1] ^= 0x01
        let pem = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: der).pemString
        expectRefusal(.invalidSignature) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    /// Breaking the structure of the signature (the ECDSA-Sig-Value's SEQUENCE tag) makes the CSR
    /// unreadable — swift-certificates decodes ECDSA signatures while parsing — so the refusal is
    /// `.malformedRequest`, before any signature check.
    @Test func aStructurallyBrokenSignatureIsAMalformedRequest() throws {
        var generator = SplitMix64(seed: 31)
        let ca = try F.hierarchy(generator: &generator).ca()
        var der = try F.derBytes(pem: try F.csrPEM())
        guard case .constructed(let parts) = try DER.parse(der).content else { Issue.record("not a SEQUENCE"); return }
        let signatureNode = try #require(Array(parts).last)
        // BIT STRING tag, one length byte, zero unused bits, then the SEQUENCE of (r, s).
        let sequenceTag = der.count - signatureNode.encodedBytes.count + 3
        #expect(der[sequenceTag] == 0x30)
        der[sequenceTag] = 0x31
        let pem = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: der).pemString
        expectRefusal(.malformedRequest) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test(arguments: [
        "",
        "not a csr",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    ])
    func garbageIsAMalformedRequest(pem: String) throws {
        var generator = SplitMix64(seed: 32)
        let ca = try F.hierarchy(generator: &generator).ca()
        expectRefusal(.malformedRequest) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
    }

    @Test func aCertificateIsNotARequest() throws {
        var generator = SplitMix64(seed: 33)
        let hierarchy = try F.hierarchy(generator: &generator)
        expectRefusal(.malformedRequest) {
            try hierarchy.ca().sign(pem: hierarchy.root.certificatePEM, for: F.identity, now: F.now, generator: &generator)
        }
    }

    // MARK: Key types

    @Test func aP384KeyIsIssuedFor() async throws {
        var generator = SplitMix64(seed: 34)
        let hierarchy = try F.hierarchy(generator: &generator)
        let (ca, bundle) = (hierarchy.ca(), hierarchy.bundle)
        let key = P384.Signing.PrivateKey()
        let pem = try F.pem(try F.csr(key: .init(key), sans: [.uniformResourceIdentifier(F.identity.uri)],
                                      signatureAlgorithm: .ecdsaWithSHA384))
        let issued = try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator)
        #expect(issued.leaf.publicKey == Certificate.PublicKey(key.publicKey))
        #expect(try await bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now) == F.identity)
    }

    @Test func aP384KeyIsRefusedWhenThePolicyAllowsOnlyP256() throws {
        var generator = SplitMix64(seed: 35)
        let ca = try F.hierarchy(generator: &generator).ca(IssuancePolicy(trustDomain: F.trustDomain, allowedKeyTypes: [.ecdsaP256]))
        let pem = try F.pem(try F.csr(key: .init(P384.Signing.PrivateKey()), sans: [.uniformResourceIdentifier(F.identity.uri)],
                                      signatureAlgorithm: .ecdsaWithSHA384))
        let error = expectRefusal(.keyTypeNotAllowed) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        #expect(error?.message.contains("ECDSA-P384") == true)
        // P-256 still passes under that policy.
        _ = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
    }

    @Test func anRSA2048KeyIsIssuedFor() async throws {
        var generator = SplitMix64(seed: 36)
        let hierarchy = try F.hierarchy(generator: &generator)
        let (ca, bundle) = (hierarchy.ca(), hierarchy.bundle)
        let key = RSAKeys.bits2048
        let pem = try F.pem(try F.csr(key: Certificate.PrivateKey(key), sans: [.uniformResourceIdentifier(F.identity.uri)],
                                      signatureAlgorithm: .sha256WithRSAEncryption))
        let issued = try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator)
        #expect(issued.leaf.publicKey == Certificate.PublicKey(key.publicKey))
        #expect(try await bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now) == F.identity)
        // A policy without RSA refuses the same request.
        let ecOnly = hierarchy.ca(IssuancePolicy(trustDomain: F.trustDomain, allowedKeyTypes: [.ecdsaP256, .ecdsaP384]))
        expectRefusal(.keyTypeNotAllowed) { try ecOnly.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        // And one asking for 3072 bits refuses 2048.
        let strict = hierarchy.ca(IssuancePolicy(trustDomain: F.trustDomain, minimumRSABits: 3072))
        let error = expectRefusal(.keyTypeNotAllowed) { try strict.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        #expect(error?.message.contains("2048") == true)
    }

    /// An RSA-1024 CSR is refused for its key, whether it arrives as PEM (swift-certificates cannot
    /// read RSA keys under 2048 bits, so parsing fails) or as an already-parsed request.
    @Test func anRSA1024KeyIsRefused() throws {
        var generator = SplitMix64(seed: 39)
        let ca = try F.hierarchy(generator: &generator).ca()
        let csr = try F.csr(key: Certificate.PrivateKey(RSAKeys.bits1024), sans: [.uniformResourceIdentifier(F.identity.uri)],
                            signatureAlgorithm: .sha256WithRSAEncryption)
        let pem = try F.pem(csr)
        let onTheWire = expectRefusal(.keyTypeNotAllowed) { try ca.sign(pem: pem, for: F.identity, now: F.now, generator: &generator) }
        #expect(onTheWire?.message.contains("1024") == true)
        let inMemory = expectRefusal(.keyTypeNotAllowed) { try ca.sign(csr, for: F.identity, now: F.now, generator: &generator) }
        #expect(inMemory?.message.contains("1024") == true)
    }
}

extension Fixture {
    static func derBytes(pem: String) throws -> [UInt8] { try PEMDocument(pemString: pem).derBytes }
}
