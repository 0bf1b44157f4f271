import _CryptoExtras
import Crypto
import Foundation
import TestSupport
import Testing
import WorkloadCA
import X509

/// CA material as stored in a Secret: read back, checked for consistency, and (for a CA the user
/// plugs in) used with its own chain and key type.
@Suite struct SigningAuthorityTests {
    typealias F = Fixture

    @Test func generatedMaterialRoundTripsThroughPEM() throws {
        var generator = SplitMix64(seed: 70)
        let hierarchy = try F.hierarchy(generator: &generator)
        for authority in [hierarchy.root, hierarchy.intermediate] {
            let read = try SigningAuthority(certificatePEM: authority.certificatePEM, privateKeyPEM: authority.privateKeyPEM,
                                            chainPEM: authority.chainPEM)
            #expect(read == authority)
            #expect(read.notAfter == authority.notAfter)
        }
        #expect(hierarchy.root.isSelfSigned)
        #expect(!hierarchy.intermediate.isSelfSigned)
        #expect(hierarchy.root.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(hierarchy.root.privateKeyPEM.contains("PRIVATE KEY-----"))
        // The root is a CA for any depth, the intermediate only for leaves.
        #expect(try hierarchy.root.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        #expect(try hierarchy.intermediate.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(hierarchy.intermediate.notBefore == F.now.addingTimeInterval(-300))
        #expect(hierarchy.intermediate.notAfter == F.now.addingTimeInterval(F.year))
    }

    @Test func reloadedMaterialKeepsIssuing() async throws {
        var generator = SplitMix64(seed: 71)
        let hierarchy = try F.hierarchy(generator: &generator)
        let reloaded = try SigningAuthority(certificatePEM: hierarchy.intermediate.certificatePEM,
                                            privateKeyPEM: hierarchy.intermediate.privateKeyPEM)
        let issued = try WorkloadCA(authority: reloaded, policy: IssuancePolicy(trustDomain: F.trustDomain))
            .sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(try await hierarchy.bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now) == F.identity)
    }

    @Test func aKeyThatDoesNotMatchTheCertificateIsRefused() throws {
        var generator = SplitMix64(seed: 72)
        let hierarchy = try F.hierarchy(generator: &generator)
        let error = expectRefusal(.invalidMaterial) {
            try SigningAuthority(certificatePEM: hierarchy.intermediate.certificatePEM, privateKeyPEM: hierarchy.root.privateKeyPEM)
        }
        #expect(error?.message.contains("does not belong") == true)
        expectRefusal(.invalidMaterial) {
            try SigningAuthority(certificate: hierarchy.root.certificate, privateKey: .init(P256.Signing.PrivateKey()))
        }
    }

    @Test func aNonCACertificateIsRefusedAsAuthority() throws {
        var generator = SplitMix64(seed: 73)
        let hierarchy = try F.hierarchy(generator: &generator)
        let key = P256.Signing.PrivateKey()
        let leaf = try hierarchy.ca().sign(pem: try F.csrPEM(key: key), for: F.identity, now: F.now, generator: &generator)
        let error = expectRefusal(.invalidMaterial) {
            try SigningAuthority(certificate: leaf.leaf, privateKey: .init(key))
        }
        #expect(error?.message.contains("not a CA") == true)
        // A certificate without basicConstraints at all is no CA either.
        let bare = try Certificate(
            version: .v3, serialNumber: .init(bytes: [1]), publicKey: .init(key.publicKey),
            notValidBefore: F.now, notValidAfter: F.now.addingTimeInterval(3600),
            issuer: try F.name("bare"), subject: try F.name("bare"), extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
        expectRefusal(.invalidMaterial) { try SigningAuthority(certificate: bare, privateKey: .init(key)) }
    }

    @Test func unreadableMaterialIsRefused() throws {
        var generator = SplitMix64(seed: 74)
        let hierarchy = try F.hierarchy(generator: &generator)
        expectRefusal(.invalidMaterial) { try SigningAuthority(certificatePEM: "", privateKeyPEM: hierarchy.root.privateKeyPEM) }
        expectRefusal(.invalidMaterial) {
            try SigningAuthority(certificatePEM: hierarchy.root.certificatePEM, privateKeyPEM: "not a key")
        }
        expectRefusal(.invalidMaterial) {
            try SigningAuthority(certificatePEM: hierarchy.root.certificatePEM, privateKeyPEM: hierarchy.root.privateKeyPEM,
                                 chainPEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        }
    }

    /// A user's CA: offline root → their intermediate → the issuing CA handed to Causeway with the
    /// chain above it. Leaves carry the whole chain and end no later than its first expiry.
    @Test func aPluggedCAWithAChainIssuesWithinItsChain() async throws {
        var generator = SplitMix64(seed: 75)
        let root = try SigningAuthority.makeRoot(trustDomain: F.trustDomain, lifetime: 10 * F.year, now: F.now, generator: &generator)
        let middleKey = P256.Signing.PrivateKey()
        // The user's intermediate expires in two hours, before the issuing CA below it.
        let middle = try F.certificate(
            subject: try F.name("user intermediate"), publicKey: .init(middleKey.publicKey), issuer: root.certificate.subject,
            issuerKey: root.privateKey, notBefore: F.now.addingTimeInterval(-3600), notAfter: F.now.addingTimeInterval(7200),
            isCA: true, pathLength: 1, serial: 1)
        let issuingKey = P256.Signing.PrivateKey()
        let issuingCertificate = try F.certificate(
            subject: try F.name("user issuing CA"), publicKey: .init(issuingKey.publicKey), issuer: middle.subject,
            issuerKey: .init(middleKey), notBefore: F.now.addingTimeInterval(-3600), notAfter: F.now.addingTimeInterval(F.year),
            isCA: true, pathLength: 0, serial: 2)
        let issuing = try SigningAuthority(certificate: issuingCertificate, privateKey: .init(issuingKey), chain: [middle])
        #expect(!issuing.isSelfSigned)

        let read = try SigningAuthority(certificatePEM: issuing.certificatePEM, privateKeyPEM: issuing.privateKeyPEM,
                                        chainPEM: issuing.chainPEM)
        #expect(read == issuing)
        #expect(read.chain == [middle])

        let issued = try WorkloadCA(authority: read, policy: IssuancePolicy(trustDomain: F.trustDomain))
            .sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(issued.intermediates == [issuingCertificate, middle])
        #expect(issued.notAfter == middle.notValidAfter)
        let bundle = TrustBundle(roots: [root.certificate])
        #expect(try await bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now) == F.identity)
        // Once the user's intermediate has expired, nothing is issued.
        expectRefusal(.issuerNotValid) {
            try WorkloadCA(authority: read, policy: IssuancePolicy(trustDomain: F.trustDomain))
                .sign(pem: try F.csrPEM(), for: F.identity, now: middle.notValidAfter, generator: &generator)
        }
    }

    /// A plugged CA need not be P-256: its certificates are signed with the algorithm its key takes.
    @Test func pluggedCAsWithP384AndRSAKeysIssue() async throws {
        var generator = SplitMix64(seed: 76)
        let p384 = P384.Signing.PrivateKey()
        let cases: [(Certificate.PrivateKey, Certificate.SignatureAlgorithm)] = [
            (.init(p384), .ecdsaWithSHA384),
            (.init(RSAKeys.bits2048), .sha256WithRSAEncryption),
        ]
        for (key, algorithm) in cases {
            let name = try F.name("user root \(algorithm)")
            let rootCertificate = try F.certificate(
                subject: name, publicKey: key.publicKey, issuer: name, issuerKey: key,
                notBefore: F.now.addingTimeInterval(-3600), notAfter: F.now.addingTimeInterval(F.year), isCA: true)
            #expect(rootCertificate.signatureAlgorithm == algorithm)
            let root = try SigningAuthority(certificatePEM: try rootCertificate.serializeAsPEM().pemString,
                                            privateKeyPEM: try key.serializeAsPEM().pemString)
            let bundle = TrustBundle(roots: [root.certificate])

            let direct = try WorkloadCA(authority: root, policy: IssuancePolicy(trustDomain: F.trustDomain))
                .sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
            #expect(direct.leaf.signatureAlgorithm == algorithm)
            #expect(try await bundle.verify(chain: F.chain(direct), trustDomain: F.trustDomain, at: F.now) == F.identity)

            let intermediate = try root.makeIntermediate(trustDomain: F.trustDomain, lifetime: F.day, now: F.now, generator: &generator)
            #expect(intermediate.certificate.signatureAlgorithm == algorithm)
            let viaIntermediate = try WorkloadCA(authority: intermediate, policy: IssuancePolicy(trustDomain: F.trustDomain))
                .sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
            #expect(try await bundle.verify(chain: F.chain(viaIntermediate), trustDomain: F.trustDomain, at: F.now) == F.identity)
        }
    }

    @Test func caStateBundlesTheIssuingRootAndTheOtherOne() throws {
        var generator = SplitMix64(seed: 77)
        let state = try CAState.generate(settings: .init(trustDomain: F.trustDomain), now: F.now, generator: &generator)
        #expect(state.phase == .stable)
        #expect(state.bundle.roots == [state.root.certificate])
        #expect(state.intermediate.certificate.issuer == state.root.certificate.subject)
        let other = try SigningAuthority.makeRoot(trustDomain: F.trustDomain, lifetime: F.year, now: F.now, generator: &generator)
        var distributing = state
        distributing.pendingRoot = other
        #expect(distributing.bundle.roots == [state.root.certificate, other.certificate])
        var retiring = state
        retiring.retiringRoot = other.certificate
        #expect(retiring.bundle.roots == [state.root.certificate, other.certificate])
    }
}
