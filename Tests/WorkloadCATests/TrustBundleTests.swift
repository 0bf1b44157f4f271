import Crypto
import Foundation
import TestSupport
import Testing
import WorkloadCA
import X509

/// What a proxy accepts from a peer: chains to a root of its bundle, in time, of its trust domain.
@Suite struct TrustBundleTests {
    typealias F = Fixture

    struct Setup {
        var old: Fixture.Hierarchy
        var new: Fixture.Hierarchy
        var oldLeaf: WorkloadCertificate
        var newLeaf: WorkloadCertificate
    }

    /// Two independent roots, as during a rotation, each with a leaf.
    static func twoRoots(seed: UInt64) throws -> Setup {
        var generator = SplitMix64(seed: seed)
        let old = try F.hierarchy(generator: &generator)
        let new = try F.hierarchy(generator: &generator)
        let oldLeaf = try old.ca().sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        let newLeaf = try new.ca().sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        return Setup(old: old, new: new, oldLeaf: oldLeaf, newLeaf: newLeaf)
    }

    @Test func aBundleWithBothRootsVerifiesLeavesFromEither() async throws {
        let s = try Self.twoRoots(seed: 50)
        let bundle = TrustBundle(roots: [s.old.root.certificate, s.new.root.certificate])
        #expect(try await bundle.verify(chain: F.chain(s.oldLeaf), trustDomain: F.trustDomain, at: F.now) == F.identity)
        #expect(try await bundle.verify(chain: F.chain(s.newLeaf), trustDomain: F.trustDomain, at: F.now) == F.identity)
    }

    @Test func aBundleWithOnlyTheNewRootRefusesAnOldRootLeaf() async throws {
        let s = try Self.twoRoots(seed: 51)
        let onlyNew = TrustBundle(roots: [s.new.root.certificate])
        await expectRefusal(.untrustedChain) {
            try await onlyNew.verify(chain: F.chain(s.oldLeaf), trustDomain: F.trustDomain, at: F.now)
        }
        #expect(try await onlyNew.verify(chain: F.chain(s.newLeaf), trustDomain: F.trustDomain, at: F.now) == F.identity)
    }

    @Test func aLeafWithoutItsIntermediateIsRefused() async throws {
        let s = try Self.twoRoots(seed: 52)
        await expectRefusal(.untrustedChain) {
            try await s.old.bundle.verify(chain: [s.oldLeaf.leaf], trustDomain: F.trustDomain, at: F.now)
        }
        await expectRefusal(.untrustedChain) {
            try await s.old.bundle.verify(chain: [], trustDomain: F.trustDomain, at: F.now)
        }
    }

    @Test func validityIsCheckedAtTheGivenInstant() async throws {
        let s = try Self.twoRoots(seed: 53)
        let leaf = s.oldLeaf
        let bundle = s.old.bundle
        // The whole validity period, both ends included.
        for instant in [leaf.notBefore, F.now, leaf.notAfter] {
            #expect(try await bundle.verify(chain: F.chain(leaf), trustDomain: F.trustDomain, at: instant) == F.identity)
        }
        // Expired.
        await expectRefusal(.untrustedChain) {
            try await bundle.verify(chain: F.chain(leaf), trustDomain: F.trustDomain, at: leaf.notAfter.addingTimeInterval(1))
        }
        // Not yet valid.
        await expectRefusal(.untrustedChain) {
            try await bundle.verify(chain: F.chain(leaf), trustDomain: F.trustDomain, at: leaf.notBefore.addingTimeInterval(-1))
        }
    }

    @Test func aPeerOfAnotherTrustDomainIsRefused() async throws {
        let s = try Self.twoRoots(seed: 54)
        await expectRefusal(.wrongTrustDomain) {
            try await s.old.bundle.verify(chain: F.chain(s.oldLeaf), trustDomain: "other.example", at: F.now)
        }
    }

    @Test func aPeerThatIsNotTheExpectedOneIsRefused() async throws {
        let s = try Self.twoRoots(seed: 55)
        let expected: Set = [SPIFFEID(trustDomain: F.trustDomain, namespace: "shop", serviceAccount: "db"),
                             SPIFFEID(trustDomain: F.trustDomain, namespace: "bank", serviceAccount: "web")]
        let error = await expectRefusal(.unexpectedPeer) {
            try await s.old.bundle.verify(chain: F.chain(s.oldLeaf), expecting: expected, trustDomain: F.trustDomain, at: F.now)
        }
        #expect(error?.message.contains(F.identity.uri) == true)
        await expectRefusal(.unexpectedPeer) {
            try await s.old.bundle.verify(chain: F.chain(s.oldLeaf), expecting: [], trustDomain: F.trustDomain, at: F.now)
        }
    }

    @Test func theIntermediatePresentedAsALeafIsRefused() async throws {
        let s = try Self.twoRoots(seed: 56)
        // It carries no SPIFFE ID at all.
        await expectRefusal(.malformedIdentity) {
            try await s.old.bundle.verify(chain: [s.old.intermediate.certificate], trustDomain: F.trustDomain, at: F.now)
        }
    }

    /// A CA certificate that does carry a SPIFFE ID, correctly signed by the intermediate: the
    /// chain is valid by RFC 5280, but a CA is no workload.
    @Test func aCACertificateWithASPIFFEIDPresentedAsALeafIsRefused() async throws {
        let s = try Self.twoRoots(seed: 57)
        let key = P256.Signing.PrivateKey()
        let caLeaf = try F.certificate(
            subject: DistinguishedName(), publicKey: .init(key.publicKey), issuer: s.old.intermediate.certificate.subject,
            issuerKey: s.old.intermediate.privateKey, notBefore: F.now.addingTimeInterval(-60), notAfter: F.now.addingTimeInterval(3600),
            isCA: true, pathLength: 0, sans: [.uniformResourceIdentifier(F.identity.uri)])
        let error = await expectRefusal(.untrustedChain) {
            try await s.old.bundle.verify(chain: [caLeaf, s.old.intermediate.certificate], trustDomain: F.trustDomain, at: F.now)
        }
        #expect(error?.message.contains("CA certificate") == true, "\(String(describing: error))")
        // The same certificate as a non-CA verifies: the refusal is for being a CA.
        let workload = try F.certificate(
            subject: DistinguishedName(), publicKey: .init(key.publicKey), issuer: s.old.intermediate.certificate.subject,
            issuerKey: s.old.intermediate.privateKey, notBefore: F.now.addingTimeInterval(-60), notAfter: F.now.addingTimeInterval(3600),
            isCA: false, sans: [.uniformResourceIdentifier(F.identity.uri)])
        #expect(try await s.old.bundle.verify(chain: [workload, s.old.intermediate.certificate], trustDomain: F.trustDomain,
                                              at: F.now) == F.identity)
    }

    @Test func aLeafWithTwoURIsIsRefused() async throws {
        let s = try Self.twoRoots(seed: 58)
        let key = P256.Signing.PrivateKey()
        let twoNames = try F.certificate(
            subject: DistinguishedName(), publicKey: .init(key.publicKey), issuer: s.old.intermediate.certificate.subject,
            issuerKey: s.old.intermediate.privateKey, notBefore: F.now.addingTimeInterval(-60), notAfter: F.now.addingTimeInterval(3600),
            isCA: false, sans: [.uniformResourceIdentifier(F.identity.uri), .uniformResourceIdentifier("spiffe://cluster.local/ns/a/sa/b")])
        await expectRefusal(.malformedIdentity) {
            try await s.old.bundle.verify(chain: [twoNames, s.old.intermediate.certificate], trustDomain: F.trustDomain, at: F.now)
        }
    }

    @Test func theFingerprintIgnoresOrderAndChangesWithTheRoots() throws {
        let s = try Self.twoRoots(seed: 59)
        let (old, new) = (s.old.root.certificate, s.new.root.certificate)
        let one = TrustBundle(roots: [old])
        let both = TrustBundle(roots: [old, new])
        let reversed = TrustBundle(roots: [new, old])
        #expect(both.fingerprint == reversed.fingerprint)
        #expect(both.fingerprint != one.fingerprint)
        #expect(one.adding(new).fingerprint == both.fingerprint)
        #expect(both.removing(new).fingerprint == one.fingerprint)
        #expect(one.fingerprint.count == 64)
        #expect(one.fingerprint.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(one.rootFingerprints == [Fingerprint.sha256(old)])
        #expect(Fingerprint.sha256(old) != Fingerprint.sha256(new))
    }

    @Test func duplicateRootsAreKeptOnce() throws {
        let s = try Self.twoRoots(seed: 60)
        let (old, new) = (s.old.root.certificate, s.new.root.certificate)
        let bundle = TrustBundle(roots: [old, new, old])
        #expect(bundle.roots == [old, new])
        #expect(bundle.adding(new) == bundle)
        #expect(bundle.contains(new))
        #expect(!bundle.removing(new).contains(new))
    }

    @Test func pemRoundTrips() throws {
        let s = try Self.twoRoots(seed: 61)
        let bundle = TrustBundle(roots: [s.old.root.certificate, s.new.root.certificate])
        let read = try TrustBundle(pem: bundle.pem)
        #expect(read == bundle)
        #expect(read.roots == bundle.roots)
        #expect(read.fingerprint == bundle.fingerprint)
        expectRefusal(.invalidMaterial) { try TrustBundle(pem: "") }
        expectRefusal(.invalidMaterial) { try TrustBundle(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") }
    }

    @Test func aWorkloadCertificateChainRoundTripsThroughPEM() async throws {
        let s = try Self.twoRoots(seed: 62)
        let read = try WorkloadCertificate(chainPEM: s.oldLeaf.chainPEM)
        #expect(read == s.oldLeaf)
        #expect(read.identity == F.identity)
        #expect(read.intermediates == [s.old.intermediate.certificate])
        #expect(read.serialNumber == s.oldLeaf.serialNumber)
        #expect(try await s.old.bundle.verify(chain: F.chain(read), trustDomain: F.trustDomain, at: F.now) == F.identity)
        expectRefusal(.invalidMaterial) { try WorkloadCertificate(chainPEM: "") }
        // A chain whose first certificate is not a workload's has no identity.
        expectRefusal(.malformedIdentity) { try WorkloadCertificate(chainPEM: s.old.intermediate.certificatePEM) }
    }
}
