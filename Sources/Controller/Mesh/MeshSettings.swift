import Foundation
import KubeModel
import ProxyConfig
import WorkloadCA

/// The mesh CA's settings from the `MeshConfig` named `default` (cluster-scoped), with the
/// defaults the CRD documents for what it leaves out. Invalid durations fall back to the default
/// and are reported in `problems` (the MeshConfig's Ready condition says so).
struct MeshSettings: Sendable, Hashable {
    static let objectName = "default"

    var rotation = RootRotation.Settings()
    var certificateLifetime: TimeInterval = 24 * 3600
    var rotationRequest: String?
    var problems: [String] = []

    init() {}

    init(spec: JSONValue?) {
        guard let spec else { return }
        if let domain = spec["trustDomain"]?.stringValue {
            if SPIFFEID.isValidTrustDomain(domain) { rotation.trustDomain = domain } else {
                problems.append("spec.trustDomain \"\(domain)\" is not a valid SPIFFE trust domain; using \(rotation.trustDomain)")
            }
        }
        func duration(_ path: [String], _ apply: (TimeInterval) -> Void) {
            guard let text = spec[path: path]?.stringValue else { return }
            guard let value = GatewayDuration(text), value.milliseconds > 0 else {
                problems.append("spec.\(path.joined(separator: ".")) \"\(text)\" is not a duration like 24h or 90s")
                return
            }
            apply(Double(value.milliseconds) / 1000)
        }
        duration(["certificates", "lifetime"]) { certificateLifetime = $0 }
        duration(["certificates", "maxLifetime"]) { rotation.maximumCertificateLifetime = $0 }
        duration(["rootCA", "lifetime"]) { rotation.rootLifetime = $0 }
        duration(["rootCA", "rotateBefore"]) { rotation.rotateRootBefore = $0 }
        duration(["rootCA", "distributionGracePeriod"]) { rotation.distributionGracePeriod = $0 }
        duration(["intermediateCA", "lifetime"]) { rotation.intermediateLifetime = $0 }
        rotationRequest = spec[path: ["rootCA", "rotationRequest"]]?.stringValue
        if certificateLifetime > rotation.maximumCertificateLifetime {
            problems.append("spec.certificates.lifetime exceeds spec.certificates.maxLifetime; certificates get the maximum")
        }
        if rotation.rotateRootBefore >= rotation.rootLifetime {
            problems.append("spec.rootCA.rotateBefore is not shorter than spec.rootCA.lifetime; every new root would rotate at once")
            rotation.rotateRootBefore = rotation.rootLifetime / 10
        }
    }

    var policy: IssuancePolicy {
        IssuancePolicy(trustDomain: rotation.trustDomain, defaultLifetime: min(certificateLifetime, rotation.maximumCertificateLifetime),
                       maximumLifetime: rotation.maximumCertificateLifetime,
                       minimumLifetime: min(60, certificateLifetime, rotation.maximumCertificateLifetime))
    }
}
