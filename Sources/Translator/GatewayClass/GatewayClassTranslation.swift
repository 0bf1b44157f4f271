import KubeTypes

/// What the translator decided about one GatewayClass of ours.
struct ClassEvaluation {
    var name: String
    var accepted: Bool
    /// Why not, when not accepted.
    var message: String
    /// The class-level data-plane settings (from its `parametersRef`), when it has valid ones.
    var config: GatewayConfig.Spec?
    var status: GatewayAPI.GatewayClass.Status
}

extension Translation {
    /// Evaluates every GatewayClass whose `controllerName` is ours; others are not touched.
    mutating func evaluateClasses() {
        let version = supportedVersionCondition()
        for gatewayClass in snapshot.gatewayClasses.sorted(by: { $0.metadata.name < $1.metadata.name })
        where gatewayClass.spec.controllerName == snapshot.settings.controllerName {
            let generation = gatewayClass.metadata.observedGeneration
            var accepted = true
            var message = "Causeway (\(snapshot.settings.controllerName)) serves Gateways of this class"
            var config: GatewayConfig.Spec?
            if let ref = gatewayClass.spec.parametersRef {
                switch resolveClassParameters(ref) {
                case .success(let spec):
                    config = spec
                    message += " with GatewayConfig \(ref.namespace ?? "")/\(ref.name)"
                case .failure(let problem):
                    accepted = false
                    message = problem.message
                }
            }
            let acceptedCondition = Condition(
                type: ConditionType.accepted, status: ConditionStatus(accepted),
                reason: accepted ? GatewayClassReason.accepted : GatewayClassReason.invalidParameters,
                message: message, observedGeneration: generation)
            var versionCondition = version
            versionCondition.observedGeneration = generation
            let status = GatewayAPI.GatewayClass.Status(
                conditions: [acceptedCondition, versionCondition],
                supportedFeatures: SupportedFeatures.names.map { GatewayAPI.SupportedFeature(name: $0) })
            let evaluation = ClassEvaluation(
                name: gatewayClass.metadata.name, accepted: accepted, message: message, config: config, status: status)
            classes[gatewayClass.metadata.name] = evaluation
            result.gatewayClassStatuses[gatewayClass.metadata.name] = status
        }
    }

    /// A class's `parametersRef` must name a GatewayConfig, with its namespace (the kind is
    /// namespaced), that exists.
    private func resolveClassParameters(_ ref: GatewayAPI.ParametersReference) -> Result<GatewayConfig.Spec, BackendProblem> {
        guard ref.group == GatewayConfig.group, ref.kind == GatewayConfig.kind else {
            return .failure(BackendProblem(
                reason: GatewayClassReason.invalidParameters,
                message: "parametersRef must refer to a \(GatewayConfig.kind).\(GatewayConfig.group), not \(groupKind(ref.kind, ref.group))"))
        }
        guard let namespace = ref.namespace, !namespace.isEmpty else {
            return .failure(BackendProblem(
                reason: GatewayClassReason.invalidParameters,
                message: "parametersRef must set namespace: GatewayConfig is a namespaced kind"))
        }
        guard let config = index.gatewayConfigs["\(namespace)/\(ref.name)"] else {
            return .failure(BackendProblem(
                reason: GatewayClassReason.invalidParameters, message: "GatewayConfig \(namespace)/\(ref.name) not found"))
        }
        return .success(config.spec)
    }

    /// `SupportedVersion`: True when every installed Gateway API CRD Causeway reads carries a
    /// bundle version it supports (GEP-1762's companion rule in gatewayclass_types.go). Causeway
    /// works best-effort otherwise, so `Accepted` does not depend on it.
    private func supportedVersionCondition() -> Condition {
        var problems: [String] = []
        var seen: [String] = []
        for crd in GatewayAPICRDs.read.sorted() {
            guard let entry = snapshot.installedCRDBundleVersions[crd] else { continue }
            guard let text = entry else {
                problems.append("\(crd) has no gateway.networking.k8s.io/bundle-version annotation")
                continue
            }
            seen.append(text)
            guard let version = BundleVersion(text) else {
                problems.append("\(crd) has an unrecognised bundle version \"\(text)\"")
                continue
            }
            if version < BundleVersion.minimumSupported || version.major != BundleVersion.minimumSupported.major {
                problems.append("\(crd) is at \(version)")
            }
        }
        let supported = "supported: \(BundleVersion.minimumSupported) to v\(BundleVersion.current.major).x (tested with \(BundleVersion.current))"
        if problems.isEmpty {
            let detected = Set(seen).sorted().joined(separator: ", ")
            return Condition(
                type: ConditionType.supportedVersion, status: .true, reason: GatewayClassReason.supportedVersion,
                message: "installed Gateway API CRDs: \(detected.isEmpty ? "not reported" : detected); \(supported)",
                observedGeneration: nil)
        }
        return Condition(
            type: ConditionType.supportedVersion, status: .false, reason: GatewayClassReason.unsupportedVersion,
            message: "\(problems.joined(separator: "; ")); \(supported). Causeway runs best-effort; upgrade the Gateway API CRDs",
            observedGeneration: nil)
    }
}

/// The Gateway API CRDs Causeway reads, by name.
public enum GatewayAPICRDs {
    public static let read: Set<String> = [
        "gatewayclasses.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io",
        "httproutes.gateway.networking.k8s.io", "grpcroutes.gateway.networking.k8s.io",
        "referencegrants.gateway.networking.k8s.io",
    ]
}
