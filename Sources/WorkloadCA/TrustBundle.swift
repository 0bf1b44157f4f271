import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// The roots a workload trusts. It holds several during a root rotation: the new root is added
/// beside the old one before anything is issued from it, and the old one leaves only after every
/// certificate it signed has expired.
public struct TrustBundle: Sendable, Hashable {
    public let roots: [Certificate]
    /// Computed once: every certificate answer carries the bundle and its fingerprint.
    public let pem: String
    public let rootFingerprints: [String]
    /// One value for the whole bundle, independent of the roots' order: what proxies report.
    public let fingerprint: String

    public init(roots: [Certificate]) {
        var seen = Set<Certificate>()
        self.roots = roots.filter { seen.insert($0).inserted }
        pem = PEM.encode(self.roots)
        rootFingerprints = self.roots.map(Fingerprint.sha256)
        fingerprint = Fingerprint.sha256(bytes: Array(rootFingerprints.sorted().joined(separator: "\n").utf8))
    }

    public init(pem: String) throws(WorkloadCAError) {
        let roots = try PEM.certificates(pem)
        guard !roots.isEmpty else { throw WorkloadCAError(.invalidMaterial, "the trust bundle holds no certificate") }
        self.init(roots: roots)
    }


    public func contains(_ root: Certificate) -> Bool { roots.contains(root) }

    public func adding(_ root: Certificate) -> TrustBundle { TrustBundle(roots: roots + [root]) }

    public func removing(_ root: Certificate) -> TrustBundle { TrustBundle(roots: roots.filter { $0 != root }) }

    /// Verifies a peer's chain (leaf first, intermediates after) to one of the roots at `time`,
    /// and returns the leaf's SPIFFE ID. With `expecting`, the ID must be one of them.
    public func verify(chain: [Certificate], expecting: Set<SPIFFEID>? = nil, trustDomain: String,
                       at time: Date) async throws(WorkloadCAError) -> SPIFFEID {
        guard let leaf = chain.first else { throw WorkloadCAError(.untrustedChain, "the peer presented no certificate") }
        let identity = try SPIFFEID(of: leaf)
        guard identity.trustDomain == trustDomain else {
            throw WorkloadCAError(.wrongTrustDomain, "the peer is \(identity), outside trust domain \(trustDomain)")
        }
        if let expecting, !expecting.contains(identity) {
            throw WorkloadCAError(.unexpectedPeer, "the peer is \(identity); expected "
                + expecting.sorted().map(\.uri).joined(separator: " or "))
        }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            WorkloadLeafPolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        switch result {
        case .validCertificate:
            return identity
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            throw WorkloadCAError(.untrustedChain, "the peer's chain does not verify to the trust bundle at \(time)"
                + (reasons.isEmpty ? " (no path to a root)" : ": " + Set(reasons).sorted().joined(separator: "; ")))
        }
    }
}

/// A workload leaf's own rules, beside RFC 5280's: it is not a CA and carries a URI SAN (which
/// is critical when the subject is empty, so this policy must claim to handle it).
struct WorkloadLeafPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.subjectAlternativeName]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        if let constraints = try? leaf.extensions.basicConstraints, case .isCertificateAuthority = constraints {
            return .failsToMeetPolicy(reason: "the peer's leaf is a CA certificate")
        }
        guard (try? SPIFFEID(of: leaf)) != nil else {
            return .failsToMeetPolicy(reason: "the peer's leaf carries no SPIFFE ID")
        }
        return .meetsPolicy
    }
}
