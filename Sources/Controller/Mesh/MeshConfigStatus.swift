import Foundation
import KubeModel
import WorkloadCA
import X509

/// What `kubectl get meshconfig default -o yaml` shows of the CA: where its keys come from, each
/// root with its fingerprint, expiry and role, the rotation phase as a condition, and how many
/// proxies hold the current bundle.
enum MeshConfigStatus {
    struct Input {
        var source: MeshAuthority.Source
        var trustDomain: String
        var state: CAState?
        var pluggedAuthority: SigningAuthority?
        var bundle: TrustBundle
        var proxies: (reporting: Int, current: Int)
        var problems: [String]
        var generation: Int64?
        var lastRotation: (reason: String, message: String)?
    }

    static func make(_ input: Input, previous: JSONValue?, now: Date) -> JSONValue {
        func time(_ date: Date) -> JSONValue { .string(MeshCASecret.format(date)) }
        func root(_ certificate: Certificate, role: String) -> JSONValue {
            ["fingerprint": .string(Fingerprint.sha256(certificate)), "role": .string(role),
             "notBefore": time(certificate.notValidBefore), "notAfter": time(certificate.notValidAfter)]
        }
        var roots: [JSONValue] = []
        var intermediate: SigningAuthority?
        if let state = input.state {
            roots.append(root(state.root.certificate, role: "Issuing"))
            if let pending = state.pendingRoot { roots.append(root(pending.certificate, role: "Pending")) }
            if let retiring = state.retiringRoot { roots.append(root(retiring, role: "Retiring")) }
            intermediate = state.intermediate
        } else {
            roots = input.bundle.roots.map { root($0, role: "Trusted") }
            intermediate = input.pluggedAuthority
        }
        var status: [String: JSONValue] = [
            "source": .string(input.source.rawValue),
            "trustDomain": .string(input.trustDomain),
            "roots": .array(roots),
            "trustBundleFingerprint": .string(input.bundle.fingerprint),
            "proxies": ["reporting": .int(Int64(input.proxies.reporting)), "withCurrentBundle": .int(Int64(input.proxies.current))],
        ]
        if let generation = input.generation { status["observedGeneration"] = .int(generation) }
        if let intermediate {
            status["intermediate"] = ["fingerprint": .string(Fingerprint.sha256(intermediate.certificate)),
                                      "notAfter": time(intermediate.notAfter)]
        }
        // Written as a merge patch: a field that no longer applies is sent as null to remove it.
        status["rotationPhase"] = input.state.map { .string($0.phase.rawValue) } ?? .null
        status["retiringRootRemovedAfter"] = input.state?.retireAfter.map(time) ?? .null
        if intermediate == nil { status["intermediate"] = .null }
        let ready: (String, String, String) = input.problems.isEmpty
            ? ("True", "Issuing", "issuing certificates for spiffe://\(input.trustDomain) from intermediate "
                + (intermediate.map { String(Fingerprint.sha256($0.certificate).prefix(16)) } ?? "?"))
            : ("True", "InvalidSettings", input.problems.joined(separator: "; "))
        var rotation: (String, String, String)
        switch input.state?.phase {
        case .distributing?:
            let pending = input.state?.pendingRoot.map { String(Fingerprint.sha256($0.certificate).prefix(16)) } ?? "?"
            rotation = ("True", "DistributingNewRoot",
                        "new root \(pending) is in the trust bundle; \(input.proxies.current) of \(input.proxies.reporting) reporting proxies hold it")
        case .issuing?:
            let retire = input.state?.retireAfter.map(MeshCASecret.format) ?? "?"
            rotation = ("True", "IssuingFromNewRoot", "certificates come from the new root; the old root leaves the bundle at \(retire)")
        case .stable?:
            rotation = input.lastRotation.map { ("False", $0.reason, $0.message) }
                ?? ("False", "NoRotation", "one root; a new rotationRequest or an expiring root starts a rotation")
        case nil:
            rotation = ("False", "ManagedExternally", "the CA comes from Secret \(MeshCASecret.pluggedName); its owner rotates it")
        }
        let previousConditions = previous?["conditions"]?.arrayValue ?? []
        func condition(_ type: String, _ value: (String, String, String)) -> JSONValue {
            let old = previousConditions.first { $0["type"]?.stringValue == type }
            let since = old?["status"]?.stringValue == value.0 ? (old?["lastTransitionTime"] ?? time(now)) : time(now)
            var condition: JSONValue = ["type": .string(type), "status": .string(value.0), "reason": .string(value.1),
                                        "message": .string(value.2), "lastTransitionTime": since]
            if let generation = input.generation { condition["observedGeneration"] = .int(generation) }
            return condition
        }
        status["conditions"] = [condition("Ready", ready), condition("RootRotation", rotation)]
        return .object(status)
    }

    /// Whether the stored status already says what `patch` would write (its nulls are removals).
    static func same(_ stored: JSONValue?, _ patch: JSONValue) -> Bool {
        guard let stored, case .object(let fields) = patch else { return false }
        return stored == .object(fields.filter { $0.value != .null })
    }
}
