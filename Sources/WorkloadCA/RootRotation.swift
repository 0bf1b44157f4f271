import Foundation
import KubeModel
import X509

/// The root rotation and intermediate renewal as a pure step function: given the stored state and
/// what the controller observes, the next state and what happened. Phases: add the new root to
/// the bundle; once every proxy holds that bundle, issue from the new root; once every
/// certificate from the old root has expired, drop it.
public enum RootRotation {
    public struct Settings: Sendable, Hashable {
        public var trustDomain: String
        public var rootLifetime: TimeInterval
        /// A root closer than this to its expiry is rotated without being asked.
        public var rotateRootBefore: TimeInterval
        public var intermediateLifetime: TimeInterval
        /// The longest a workload certificate lives: how long the old root must stay trusted after
        /// issuance switched.
        public var maximumCertificateLifetime: TimeInterval
        /// The least time the new root spends in the bundle before issuance switches, so proxies
        /// that poll have reported at least once.
        public var distributionGracePeriod: TimeInterval

        public init(trustDomain: String = "cluster.local", rootLifetime: TimeInterval = 10 * 365 * 86400,
                    rotateRootBefore: TimeInterval = 365 * 86400, intermediateLifetime: TimeInterval = 365 * 86400,
                    maximumCertificateLifetime: TimeInterval = 7 * 86400, distributionGracePeriod: TimeInterval = 60) {
            self.trustDomain = trustDomain
            self.rootLifetime = rootLifetime
            self.rotateRootBefore = rotateRootBefore
            self.intermediateLifetime = intermediateLifetime
            self.maximumCertificateLifetime = maximumCertificateLifetime
            self.distributionGracePeriod = distributionGracePeriod
        }
    }

    /// What the controller sees at one instant.
    public struct Observation: Sendable, Hashable {
        public var now: Date
        /// The user's request (MeshConfig `spec.rootCA.rotationRequest`); a new value starts a rotation.
        public var rotationRequest: String?
        /// Proxies that reported their bundle recently, and how many of them hold the current one.
        public var proxiesReporting: Int
        public var proxiesWithCurrentBundle: Int

        public init(now: Date, rotationRequest: String? = nil, proxiesReporting: Int = 0, proxiesWithCurrentBundle: Int = 0) {
            self.now = now
            self.rotationRequest = rotationRequest
            self.proxiesReporting = proxiesReporting
            self.proxiesWithCurrentBundle = proxiesWithCurrentBundle
        }
    }

    public enum Transition: Sendable, Hashable {
        case rotationStarted(reason: String, newRoot: String)
        case issuanceSwitched(newRoot: String, oldRootRetiresAt: Date)
        case oldRootRetired(oldRoot: String)
        case intermediateRenewed(intermediate: String, notAfter: Date)
    }

    public static func step(_ state: CAState, _ observation: Observation, settings: Settings,
                            generator: inout some RandomNumberGenerator) throws(WorkloadCAError) -> (CAState, [Transition]) {
        var state = state
        var transitions: [Transition] = []
        let now = observation.now
        switch state.phase {
        case .stable:
            var reason: String?
            if let request = observation.rotationRequest, !request.isEmpty, request != state.handledRequest {
                reason = "rotation requested (\(request))"
                state.handledRequest = request
            } else if state.root.notAfter.timeIntervalSince(now) < settings.rotateRootBefore {
                reason = "the root expires at \(RFC3339.format(secondsSinceEpoch: Int64(state.root.notAfter.timeIntervalSince1970)))"
            }
            if let reason {
                let newRoot = try SigningAuthority.makeRoot(trustDomain: settings.trustDomain, lifetime: settings.rootLifetime,
                                                            now: now, generator: &generator)
                state.pendingRoot = newRoot
                state.phase = .distributing
                state.phaseSince = now
                transitions.append(.rotationStarted(reason: reason, newRoot: Fingerprint.sha256(newRoot.certificate)))
            }
        case .distributing:
            guard let pending = state.pendingRoot else {
                state.phase = .stable
                state.phaseSince = now
                break
            }
            let everyone = observation.proxiesWithCurrentBundle >= observation.proxiesReporting
            if everyone, now.timeIntervalSince(state.phaseSince) >= settings.distributionGracePeriod {
                let intermediate = try pending.makeIntermediate(trustDomain: settings.trustDomain, lifetime: settings.intermediateLifetime,
                                                                now: now, generator: &generator)
                // Every certificate the old intermediate signed ends by then (it never issued longer).
                let retireAfter = now.addingTimeInterval(settings.maximumCertificateLifetime)
                state.retiringRoot = state.root.certificate
                state.root = pending
                state.intermediate = intermediate
                state.pendingRoot = nil
                state.phase = .issuing
                state.phaseSince = now
                state.retireAfter = retireAfter
                transitions.append(.issuanceSwitched(newRoot: Fingerprint.sha256(pending.certificate), oldRootRetiresAt: retireAfter))
            }
        case .issuing:
            if now >= state.retireAfter ?? now {
                let old = state.retiringRoot.map(Fingerprint.sha256) ?? ""
                state.retiringRoot = nil
                state.retireAfter = nil
                state.phase = .stable
                state.phaseSince = now
                transitions.append(.oldRootRetired(oldRoot: old))
            }
        }
        // The intermediate is replaced at half its life, or when it could no longer sign a
        // certificate of the longest lifetime.
        let intermediate = state.intermediate
        let half = intermediate.notBefore.addingTimeInterval(intermediate.notAfter.timeIntervalSince(intermediate.notBefore) / 2)
        let rootOutlivesIntermediate = state.root.notAfter > intermediate.notAfter
        if now >= half && rootOutlivesIntermediate
            || intermediate.notAfter.timeIntervalSince(now) < settings.maximumCertificateLifetime && rootOutlivesIntermediate {
            let renewed = try state.root.makeIntermediate(trustDomain: settings.trustDomain, lifetime: settings.intermediateLifetime,
                                                          now: now, generator: &generator)
            state.intermediate = renewed
            transitions.append(.intermediateRenewed(intermediate: Fingerprint.sha256(renewed.certificate), notAfter: renewed.notAfter))
        }
        return (state, transitions)
    }
}
