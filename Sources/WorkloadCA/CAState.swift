import Foundation
import X509

/// Everything the mesh CA keeps between restarts: the root it issues under, the intermediate that
/// signs, and during a root rotation the other root in the bundle. Stored in a Secret; the
/// controller's leader is the only writer.
public struct CAState: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable, CaseIterable {
        /// One root; nothing in progress.
        case stable = "Stable"
        /// A new root is in the bundle beside the issuing one, waiting for every proxy to hold it.
        case distributing = "DistributingNewRoot"
        /// Certificates come from the new root; the old root stays in the bundle until every
        /// certificate it signed has expired.
        case issuing = "IssuingFromNewRoot"
    }

    public var root: SigningAuthority
    public var intermediate: SigningAuthority
    /// The next root, published but not yet issuing (phase `distributing`).
    public var pendingRoot: SigningAuthority?
    /// The previous root, still trusted (phase `issuing`).
    public var retiringRoot: Certificate?
    public var phase: Phase
    public var phaseSince: Date
    /// When the retiring root leaves the bundle (phase `issuing`).
    public var retireAfter: Date?
    /// The last `rotationRequest` acted upon, so a request starts one rotation only.
    public var handledRequest: String?

    public init(root: SigningAuthority, intermediate: SigningAuthority, pendingRoot: SigningAuthority? = nil,
                retiringRoot: Certificate? = nil, phase: Phase = .stable, phaseSince: Date, retireAfter: Date? = nil,
                handledRequest: String? = nil) {
        self.root = root
        self.intermediate = intermediate
        self.pendingRoot = pendingRoot
        self.retiringRoot = retiringRoot
        self.phase = phase
        self.phaseSince = phaseSince
        self.retireAfter = retireAfter
        self.handledRequest = handledRequest
    }

    /// A fresh root and intermediate.
    public static func generate(settings: RootRotation.Settings, now: Date,
                                generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> CAState {
        let root = try SigningAuthority.makeRoot(trustDomain: settings.trustDomain, lifetime: settings.rootLifetime, now: now,
                                                 generator: &generator)
        let intermediate = try root.makeIntermediate(trustDomain: settings.trustDomain, lifetime: settings.intermediateLifetime,
                                                     now: now, generator: &generator)
        return CAState(root: root, intermediate: intermediate, phaseSince: now)
    }

    /// What proxies must trust now: the issuing root, and the pending or retiring one.
    public var bundle: TrustBundle {
        TrustBundle(roots: [root.certificate] + [pendingRoot?.certificate, retiringRoot].compactMap { $0 })
    }
}
