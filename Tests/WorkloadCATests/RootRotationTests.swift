import Foundation
import TestSupport
import Testing
import WorkloadCA
import X509

/// The root rotation as a sequence of steps at fixed instants: each phase, what holds it back,
/// and that no certificate issued before the switch outlives the old root's place in the bundle.
@Suite struct RootRotationTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let settings = RootRotation.Settings(
        trustDomain: "cluster.local", rootLifetime: 10 * 365 * 86400, rotateRootBefore: 365 * 86400,
        intermediateLifetime: 365 * 86400, maximumCertificateLifetime: 2 * 86400, distributionGracePeriod: 60)
    static let identity = SPIFFEID(trustDomain: "cluster.local", namespace: "shop", serviceAccount: "web")

    func initial(_ generator: inout some RandomNumberGenerator) throws -> CAState {
        try CAState.generate(settings: Self.settings, now: Self.start, generator: &generator)
    }

    func leaf(from state: CAState, at now: Date, lifetime: TimeInterval? = nil,
              _ generator: inout some RandomNumberGenerator) throws -> WorkloadCertificate {
        let policy = IssuancePolicy(trustDomain: "cluster.local", maximumLifetime: Self.settings.maximumCertificateLifetime)
        let csr = try WorkloadCSR.make(for: Self.identity, privateKey: .init())
        return try WorkloadCA(authority: state.intermediate, policy: policy)
            .sign(pem: csr, for: Self.identity, requestedLifetime: lifetime, now: now, generator: &generator)
    }

    @Test func nothingHappensWithoutARequestOrAnExpiringRoot() throws {
        var generator = SplitMix64(seed: 1)
        let state = try initial(&generator)
        let (next, transitions) = try RootRotation.step(state, .init(now: Self.start.addingTimeInterval(3600)), settings: Self.settings,
                                                        generator: &generator)
        #expect(next == state)
        #expect(transitions.isEmpty)
        #expect(state.bundle.roots == [state.root.certificate])
    }

    @Test func aRequestWalksThroughEveryPhaseAndTheOldRootLeavesLast() async throws {
        var generator = SplitMix64(seed: 2)
        let original = try initial(&generator)
        let oldLeaf = try leaf(from: original, at: Self.start, &generator)
        var now = Self.start.addingTimeInterval(10)

        // 1. The new root joins the bundle; issuance does not move yet.
        var (state, transitions) = try RootRotation.step(original, .init(now: now, rotationRequest: "ticket-1"), settings: Self.settings,
                                                         generator: &generator)
        #expect(state.phase == .distributing)
        let newRoot = try #require(state.pendingRoot)
        #expect(state.bundle.roots == [original.root.certificate, newRoot.certificate])
        #expect(state.intermediate == original.intermediate)
        guard case .rotationStarted(let reason, let fingerprint)? = transitions.first else { Issue.record("no rotationStarted"); return }
        #expect(reason.contains("ticket-1"))
        #expect(fingerprint == Fingerprint.sha256(newRoot.certificate))

        // 2. Held back by the grace period, then by a proxy without the new bundle.
        now = now.addingTimeInterval(30)
        (state, transitions) = try RootRotation.step(state, .init(now: now, rotationRequest: "ticket-1", proxiesReporting: 2,
                                                                  proxiesWithCurrentBundle: 2), settings: Self.settings, generator: &generator)
        #expect(state.phase == .distributing)
        #expect(transitions.isEmpty)
        now = now.addingTimeInterval(60)
        (state, transitions) = try RootRotation.step(state, .init(now: now, rotationRequest: "ticket-1", proxiesReporting: 2,
                                                                  proxiesWithCurrentBundle: 1), settings: Self.settings, generator: &generator)
        #expect(state.phase == .distributing)

        // 3. Every proxy holds it: issue from the new root, keep trusting the old one.
        (state, transitions) = try RootRotation.step(state, .init(now: now, rotationRequest: "ticket-1", proxiesReporting: 2,
                                                                  proxiesWithCurrentBundle: 2), settings: Self.settings, generator: &generator)
        #expect(state.phase == .issuing)
        #expect(state.root == newRoot)
        #expect(state.retiringRoot == original.root.certificate)
        #expect(state.retireAfter == now.addingTimeInterval(Self.settings.maximumCertificateLifetime))
        #expect(Set(state.bundle.roots) == [original.root.certificate, newRoot.certificate])
        let newLeaf = try leaf(from: state, at: now, &generator)
        let onlyNew = TrustBundle(roots: [newRoot.certificate])
        #expect(try await onlyNew.verify(chain: [newLeaf.leaf] + newLeaf.intermediates, trustDomain: "cluster.local", at: now) == Self.identity)
        // Both generations verify against the bundle every proxy holds during this phase.
        #expect(try await state.bundle.verify(chain: [oldLeaf.leaf] + oldLeaf.intermediates, trustDomain: "cluster.local", at: now) == Self.identity)

        // A certificate the old intermediate signed just before the switch ends by retireAfter.
        let lastOld = try leaf(from: original, at: now, lifetime: 30 * 86400, &generator)
        let retireAt = try #require(state.retireAfter)
        #expect(lastOld.notAfter <= retireAt)

        // 4. The same request does not start another rotation; the old root leaves on time.
        let retireAfter = try #require(state.retireAfter)
        (state, transitions) = try RootRotation.step(state, .init(now: retireAfter.addingTimeInterval(-1), rotationRequest: "ticket-1"),
                                                     settings: Self.settings, generator: &generator)
        #expect(state.phase == .issuing)
        (state, transitions) = try RootRotation.step(state, .init(now: retireAfter, rotationRequest: "ticket-1"),
                                                     settings: Self.settings, generator: &generator)
        #expect(state.phase == .stable)
        #expect(state.bundle.roots == [newRoot.certificate])
        #expect(transitions == [.oldRootRetired(oldRoot: Fingerprint.sha256(original.root.certificate))])
        (state, transitions) = try RootRotation.step(state, .init(now: retireAfter.addingTimeInterval(60), rotationRequest: "ticket-1"),
                                                     settings: Self.settings, generator: &generator)
        #expect(state.phase == .stable)
        #expect(transitions.isEmpty)

        // Old-root certificates no longer verify once their root is gone.
        await #expect(throws: WorkloadCAError.self) {
            try await state.bundle.verify(chain: [oldLeaf.leaf] + oldLeaf.intermediates, trustDomain: "cluster.local", at: Self.start)
        }
    }

    @Test func noProxiesReportingDoesNotBlockTheSwitchAfterTheGracePeriod() throws {
        var generator = SplitMix64(seed: 3)
        var (state, _) = try RootRotation.step(try initial(&generator), .init(now: Self.start, rotationRequest: "now"),
                                               settings: Self.settings, generator: &generator)
        (state, _) = try RootRotation.step(state, .init(now: Self.start.addingTimeInterval(60)), settings: Self.settings, generator: &generator)
        #expect(state.phase == .issuing)
    }

    @Test func aRootNearItsExpiryRotatesWithoutARequest() throws {
        var generator = SplitMix64(seed: 4)
        let state = try initial(&generator)
        let late = state.root.notAfter.addingTimeInterval(-Self.settings.rotateRootBefore + 1)
        let (next, transitions) = try RootRotation.step(state, .init(now: late), settings: Self.settings, generator: &generator)
        #expect(next.phase == .distributing)
        guard case .rotationStarted(let reason, _)? = transitions.first else { Issue.record("no rotationStarted"); return }
        #expect(reason.contains("expires"))
    }

    @Test func theIntermediateIsReplacedAtHalfItsLife() throws {
        var generator = SplitMix64(seed: 5)
        let state = try initial(&generator)
        let half = state.intermediate.notBefore.addingTimeInterval(state.intermediate.notAfter.timeIntervalSince(state.intermediate.notBefore) / 2)
        let (before, none) = try RootRotation.step(state, .init(now: half.addingTimeInterval(-1)), settings: Self.settings, generator: &generator)
        #expect(before == state)
        #expect(none.isEmpty)
        let (after, transitions) = try RootRotation.step(state, .init(now: half), settings: Self.settings, generator: &generator)
        #expect(after.intermediate != state.intermediate)
        #expect(after.root == state.root)
        #expect(after.intermediate.certificate.issuer == state.root.certificate.subject)
        #expect(transitions.count == 1)
    }
}
