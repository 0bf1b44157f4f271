import Foundation
import KubeModel
import Testing
import WorkloadCA
@testable import Controller

@Suite("MeshConfig settings and status")
struct MeshSettingsTests {
    @Test("an empty spec gives the documented defaults")
    func defaults() {
        let settings = MeshSettings(spec: [:])
        #expect(settings.rotation.trustDomain == "cluster.local")
        #expect(settings.certificateLifetime == 24 * 3600)
        #expect(settings.rotation.maximumCertificateLifetime == 7 * 24 * 3600)
        #expect(settings.rotation.distributionGracePeriod == 60)
        #expect(settings.policy.defaultLifetime == 24 * 3600)
        #expect(settings.problems.isEmpty)
    }

    @Test("durations and the rotation request are read; bad values keep the default and say why")
    func parsing() {
        let settings = MeshSettings(spec: [
            "trustDomain": "Example.COM",
            "certificates": ["lifetime": "1h30m", "maxLifetime": "soon"],
            "rootCA": ["rotationRequest": "ticket-7", "distributionGracePeriod": "5s"],
        ])
        #expect(settings.rotation.trustDomain == "cluster.local")
        #expect(settings.certificateLifetime == 5400)
        #expect(settings.rotation.maximumCertificateLifetime == 7 * 24 * 3600)
        #expect(settings.rotation.distributionGracePeriod == 5)
        #expect(settings.rotationRequest == "ticket-7")
        #expect(settings.problems.count == 2)
        #expect(settings.problems.contains { $0.contains("spec.trustDomain") })
        #expect(settings.problems.contains { $0.contains("spec.certificates.maxLifetime \"soon\"") })
    }

    @Test("a lifetime above the maximum is cut to it, and the policy never issues longer")
    func lifetimeAboveMaximum() throws {
        let settings = MeshSettings(spec: ["certificates": ["lifetime": "48h", "maxLifetime": "12h"]])
        #expect(settings.policy.defaultLifetime == 12 * 3600)
        #expect(try settings.policy.lifetime(requested: nil) == 12 * 3600)
        #expect(settings.problems.count == 1)
    }

    @Test("status: roots with roles, the rotation phase as a condition, and lastTransitionTime kept while unchanged")
    func status() throws {
        var generator = SystemRandomNumberGenerator()
        let settings = MeshSettings(spec: [:])
        let stable = try CAState.generate(settings: settings.rotation, now: Date(), generator: &generator)
        let (distributing, _) = try RootRotation.step(stable, .init(now: Date(), rotationRequest: "r1"), settings: settings.rotation,
                                                      generator: &generator)
        func make(_ state: CAState, previous: JSONValue?, at now: Date) -> JSONValue {
            MeshConfigStatus.make(.init(source: .generated, trustDomain: "cluster.local", state: state, pluggedAuthority: nil,
                                        bundle: state.bundle, proxies: (3, 2), problems: [], generation: 4, lastRotation: nil),
                                  previous: previous, now: now)
        }
        let first = make(stable, previous: nil, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(first["roots"]?.arrayValue?.count == 1)
        #expect(first["rotationPhase"] == "Stable")
        let rotating = make(distributing, previous: first, at: Date(timeIntervalSince1970: 1_800_000_100))
        #expect(rotating["roots"]?.arrayValue?.compactMap { $0["role"]?.stringValue } == ["Issuing", "Pending"])
        let conditions = rotating["conditions"]?.arrayValue ?? []
        let rotation = try #require(conditions.first { $0["type"] == "RootRotation" })
        #expect(rotation["status"] == "True")
        #expect(rotation["reason"] == "DistributingNewRoot")
        #expect(rotation["message"]?.stringValue?.contains("2 of 3 reporting proxies") == true)
        #expect(rotation["lastTransitionTime"] == "2027-01-15T08:01:40Z")
        let ready = try #require(conditions.first { $0["type"] == "Ready" })
        // Ready did not change, so it keeps the time it first became True.
        #expect(ready["lastTransitionTime"] == "2027-01-15T08:00:00Z")
        #expect(rotating["proxies"]?["withCurrentBundle"] == 2)
        #expect(rotating["observedGeneration"] == 4)
        // Sent as a merge patch: what no longer applies is a null, and a stored status without
        // those keys counts as already written.
        #expect(rotating["retiringRootRemovedAfter"] == .null)
        var stored = rotating
        stored["retiringRootRemovedAfter"] = nil
        #expect(MeshConfigStatus.same(stored, rotating))
        #expect(!MeshConfigStatus.same(first, rotating))
    }
}
