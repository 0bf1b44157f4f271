import Crypto
import Foundation
import SwiftASN1
import TestSupport
import Testing
import WorkloadCA
import X509

/// What an issued workload certificate looks like, and how long it lives.
@Suite struct IssuanceTests {
    typealias F = Fixture

    @Test func theLeafIsAWorkloadCertificateForExactlyTheIdentity() async throws {
        var generator = SplitMix64(seed: 1)
        let hierarchy = try F.hierarchy(generator: &generator)
        let key = P256.Signing.PrivateKey()
        let issued = try hierarchy.ca().sign(pem: try F.csrPEM(key: key), for: F.identity, now: F.now, generator: &generator)
        let leaf = issued.leaf

        #expect(issued.identity == F.identity)
        #expect(leaf.publicKey == Certificate.PublicKey(key.publicKey))
        // Exactly one SAN, the URI of the identity, marked critical because the subject is empty.
        let sans = try #require(try leaf.extensions.subjectAlternativeNames)
        #expect(Array(sans) == [.uniformResourceIdentifier("spiffe://cluster.local/ns/shop/sa/web")])
        #expect(leaf.extensions[oid: .X509ExtensionID.subjectAlternativeName]?.critical == true)
        #expect(leaf.subject == DistinguishedName())
        #expect(try SPIFFEID(of: leaf) == F.identity)
        // Not a CA; TLS client and server; signatures only.
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        let eku = try #require(try leaf.extensions.extendedKeyUsage)
        #expect(Set(eku) == [.serverAuth, .clientAuth])
        #expect(eku.count == 2)
        let usage = try #require(try leaf.extensions.keyUsage)
        #expect(usage.digitalSignature)
        #expect(!usage.keyCertSign)
        #expect(!usage.cRLSign)
        // Issued by the intermediate, which travels with it; the root stays in the bundle.
        #expect(leaf.issuer == hierarchy.intermediate.certificate.subject)
        #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier
            == hierarchy.intermediate.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(issued.intermediates == [hierarchy.intermediate.certificate])
        #expect(hierarchy.intermediate.certificate.issuer == hierarchy.root.certificate.subject)
        // 24 h by default, backdated five minutes for clock skew.
        #expect(issued.notAfter == F.now.addingTimeInterval(24 * 3600))
        #expect(issued.notBefore == F.now.addingTimeInterval(-300))

        let verified = try await hierarchy.bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now)
        #expect(verified == F.identity)
        // Also with the peer expected by name.
        #expect(try await hierarchy.bundle.verify(chain: F.chain(issued), expecting: [F.identity], trustDomain: F.trustDomain,
                                                  at: F.now) == F.identity)
    }

    @Test func serialsArePositiveDifferAndComeFromTheGenerator() throws {
        var generator = SplitMix64(seed: 2)
        let hierarchy = try F.hierarchy(generator: &generator)
        let ca = hierarchy.ca()
        let first = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        let second = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(first.serialNumber != second.serialNumber)
        for serial in [first.leaf.serialNumber, second.leaf.serialNumber] {
            let bytes = Array(serial.bytes)
            #expect(bytes.count <= 20)  // RFC 5280 §4.1.2.2
            #expect(bytes[0] & 0x80 == 0, "the DER INTEGER must be positive")
            #expect(bytes.contains { $0 != 0 }, "the serial must be non-zero")
        }
        // The serial depends on the generator only: the same seed gives the same serial.
        var replay = SplitMix64(seed: 99)
        var replayAgain = SplitMix64(seed: 99)
        let a = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &replay)
        let b = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &replayAgain)
        #expect(a.serialNumber == b.serialNumber)
    }

    @Test func aRootCanIssueDirectlyAndThenNoIntermediateTravels() async throws {
        var generator = SplitMix64(seed: 3)
        let hierarchy = try F.hierarchy(generator: &generator)
        let ca = WorkloadCA(authority: hierarchy.root, policy: IssuancePolicy(trustDomain: F.trustDomain))
        let issued = try ca.sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(issued.intermediates.isEmpty)
        #expect(try await hierarchy.bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain, at: F.now) == F.identity)
    }

    // MARK: Lifetime

    @Test func aLongerRequestIsCutToTheMaximum() throws {
        var generator = SplitMix64(seed: 4)
        let policy = IssuancePolicy(trustDomain: F.trustDomain, maximumLifetime: 2 * F.day)
        let issued = try F.hierarchy(generator: &generator).ca(policy)
            .sign(pem: try F.csrPEM(), for: F.identity, requestedLifetime: 30 * F.day, now: F.now, generator: &generator)
        #expect(issued.notAfter == F.now.addingTimeInterval(2 * F.day))
    }

    @Test func aShorterRequestIsRaisedToTheMinimum() throws {
        var generator = SplitMix64(seed: 5)
        let policy = IssuancePolicy(trustDomain: F.trustDomain, minimumLifetime: 600)
        let issued = try F.hierarchy(generator: &generator).ca(policy)
            .sign(pem: try F.csrPEM(), for: F.identity, requestedLifetime: 10, now: F.now, generator: &generator)
        #expect(issued.notAfter == F.now.addingTimeInterval(600))
    }

    @Test func aRequestWithinBoundsIsHonoured() throws {
        var generator = SplitMix64(seed: 6)
        let issued = try F.hierarchy(generator: &generator).ca()
            .sign(pem: try F.csrPEM(), for: F.identity, requestedLifetime: 3600, now: F.now, generator: &generator)
        #expect(issued.notAfter == F.now.addingTimeInterval(3600))
    }

    @Test(arguments: [0, -1, -86400, .infinity, .nan] as [TimeInterval])
    func aNonPositiveOrNonFiniteRequestIsRefused(requested: TimeInterval) throws {
        var generator = SplitMix64(seed: 7)
        let ca = try F.hierarchy(generator: &generator).ca()
        let pem = try F.csrPEM()
        expectRefusal(.invalidLifetime) {
            try ca.sign(pem: pem, for: F.identity, requestedLifetime: requested, now: F.now, generator: &generator)
        }
    }

    @Test func policyLifetimeClamps() throws {
        let policy = IssuancePolicy(trustDomain: F.trustDomain, defaultLifetime: 3600, maximumLifetime: 7200, minimumLifetime: 60)
        #expect(try policy.lifetime(requested: nil) == 3600)
        #expect(try policy.lifetime(requested: 1) == 60)
        #expect(try policy.lifetime(requested: 1e9) == 7200)
        #expect(try policy.lifetime(requested: 1800) == 1800)
        // A default outside the bounds is clamped too.
        #expect(try IssuancePolicy(defaultLifetime: 30 * F.day, maximumLifetime: F.day).lifetime(requested: nil) == F.day)
    }

    @Test func theLeafNeverOutlivesItsIntermediate() async throws {
        var generator = SplitMix64(seed: 8)
        let hierarchy = try F.hierarchy(intermediateLifetime: 3600, generator: &generator)
        #expect(hierarchy.intermediate.notAfter == F.now.addingTimeInterval(3600))
        let issued = try hierarchy.ca().sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(issued.notAfter == hierarchy.intermediate.notAfter)
        // Still a valid chain up to the last second of the intermediate.
        #expect(try await hierarchy.bundle.verify(chain: F.chain(issued), trustDomain: F.trustDomain,
                                                  at: issued.notAfter) == F.identity)
    }

    @Test func anExpiredOrNotYetValidIntermediateDoesNotIssue() throws {
        var generator = SplitMix64(seed: 9)
        let hierarchy = try F.hierarchy(intermediateLifetime: 3600, generator: &generator)
        let ca = hierarchy.ca()
        let pem = try F.csrPEM()
        for instant in [hierarchy.intermediate.notAfter, hierarchy.intermediate.notAfter.addingTimeInterval(1),
                        hierarchy.intermediate.notBefore.addingTimeInterval(-1)] {
            expectRefusal(.issuerNotValid) { try ca.sign(pem: pem, for: F.identity, now: instant, generator: &generator) }
        }
        // One second before the end it still issues, for that last second.
        let last = try ca.sign(pem: pem, for: F.identity, now: hierarchy.intermediate.notAfter.addingTimeInterval(-1),
                               generator: &generator)
        #expect(last.notAfter == hierarchy.intermediate.notAfter)
    }

    @Test func aNewIntermediateNeverOutlivesItsRoot() throws {
        var generator = SplitMix64(seed: 10)
        let hierarchy = try F.hierarchy(rootLifetime: 2 * F.day, intermediateLifetime: F.year, generator: &generator)
        #expect(hierarchy.intermediate.notAfter == hierarchy.root.notAfter)
        expectRefusal(.issuerNotValid) {
            try hierarchy.root.makeIntermediate(trustDomain: F.trustDomain, lifetime: F.year, now: hierarchy.root.notAfter,
                                                generator: &generator)
        }
    }
}
