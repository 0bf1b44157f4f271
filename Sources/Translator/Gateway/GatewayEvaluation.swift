import KubeTypes

/// What the translator decided about one Gateway of ours.
struct GatewayEvaluation {
    let gateway: GatewayAPI.Gateway
    var namespace: String { gateway.metadata.namespace ?? "default" }
    var name: String { gateway.metadata.name }
    var key: String { "\(namespace)/\(name)" }
    var proxyKey: ProxyKey { .gateway(namespace: namespace, name: name) }
    /// Why the Gateway as a whole is not accepted (class, parameters, addresses); nil when it is.
    var notAccepted: Failure?
    /// While its class is not accepted the Gateway waits rather than fails.
    var waitingForClass: String?
    var listeners: [ListenerEvaluation]
    /// The data-plane settings: the class's GatewayConfig, overlaid by the Gateway's own.
    var config: GatewayConfig.Spec
    /// Static IP addresses the Gateway asks for.
    var requestedAddresses: [String]

    func listenerIndex(named name: String) -> Int? { listeners.firstIndex { $0.spec.name == name } }

    /// Whether routes can attach at all (a Gateway waiting for its class or refused takes none).
    var takesRoutes: Bool { waitingForClass == nil }
}

extension Translation {
    /// Evaluates every Gateway whose GatewayClass is ours.
    mutating func evaluateGateways() {
        for gateway in snapshot.gateways.sorted(by: { $0.metadata.key < $1.metadata.key }) {
            guard let gatewayClass = classes[gateway.spec.gatewayClassName] else { continue }
            let namespace = gateway.metadata.namespace ?? "default"
            var evaluation = GatewayEvaluation(
                gateway: gateway, listeners: gateway.spec.listeners.map { evaluateListener($0, gatewayNamespace: namespace) },
                config: gatewayClass.config ?? GatewayConfig.Spec(), requestedAddresses: [])
            Translation.markConflicts(&evaluation.listeners)
            if !gatewayClass.accepted {
                evaluation.waitingForClass = "GatewayClass \(gatewayClass.name) is not accepted: \(gatewayClass.message)"
            }
            if let ref = gateway.spec.infrastructure?.parametersRef {
                if ref.group == GatewayConfig.group, ref.kind == GatewayConfig.kind,
                   let config = index.gatewayConfigs["\(namespace)/\(ref.name)"] {
                    evaluation.config = evaluation.config.overlaid(with: config.spec)
                } else if ref.group == GatewayConfig.group, ref.kind == GatewayConfig.kind {
                    evaluation.notAccepted = Failure(
                        reason: GatewayReason.invalidParameters, message: "GatewayConfig \(namespace)/\(ref.name) not found")
                } else {
                    evaluation.notAccepted = Failure(
                        reason: GatewayReason.invalidParameters,
                        message: "infrastructure.parametersRef must refer to a \(GatewayConfig.kind).\(GatewayConfig.group), not \(groupKind(ref.kind, ref.group))")
                }
            }
            for address in gateway.spec.addresses ?? [] {
                guard address.effectiveType == "IPAddress" else {
                    evaluation.notAccepted = evaluation.notAccepted ?? Failure(
                        reason: GatewayReason.unsupportedAddress,
                        message: "address type \(address.effectiveType) is not supported; Causeway assigns IPAddress addresses")
                    continue
                }
                // An IPAddress without a value asks for one to be assigned, which is what happens anyway.
                if let value = address.value, !value.isEmpty { evaluation.requestedAddresses.append(value) }
            }
            gateways[evaluation.key] = evaluation
        }
    }
}
