import KubeTypes

/// `causeway.dev/Proxies` on a Gateway: how many of its proxies are ready, how many serve the
/// Gateway's current generation and how many refused it. `Programmed` says whether traffic
/// follows the Gateway; this says how far a rollout of a change has got, in numbers a user can
/// watch (`kubectl get gateway NAME -o jsonpath='{.status.conditions[?(@.type=="causeway.dev/Proxies")].message}'`).
/// Domain-prefixed, as the Gateway API asks of implementation-specific condition types.
enum ProxiesCondition {
    static let type = "causeway.dev/Proxies"

    enum Reason {
        /// Every ready proxy serves the current generation.
        static let loaded = "Loaded"
        /// Some ready proxies have not loaded it yet.
        static let loading = "Loading"
        /// A proxy refused it and keeps serving its previous configuration.
        static let refused = "Refused"
        /// No proxy of the Gateway is ready.
        static let noReadyProxies = "NoReadyProxies"
    }
}

extension Translation {
    func proxiesCondition(_ gateway: GatewayEvaluation, version: String?, generation: Int64) -> Condition {
        let plane = snapshot.dataPlanes[gateway.proxyKey] ?? DataPlaneState()
        let ready = plane.proxies.count
        let current = version.map(ConfigVersion.generation(of:))
        let loaded = plane.proxies.filter { proxy in current != nil && proxy.appliedVersion.map(ConfigVersion.generation(of:)) == current }.count
        let refused = plane.proxies.filter { version != nil && $0.rejectedVersion == version }.count
        let counts = "\(ready) ready, \(loaded) serving generation \(generation), \(refused) refused"
        let (status, reason): (ConditionStatus, String) =
            if ready == 0 { (.false, ProxiesCondition.Reason.noReadyProxies) }
            else if refused > 0 { (.false, ProxiesCondition.Reason.refused) }
            else if loaded == ready { (.true, ProxiesCondition.Reason.loaded) }
            else { (.false, ProxiesCondition.Reason.loading) }
        return Condition(type: ProxiesCondition.type, status: status, reason: reason, message: counts, observedGeneration: generation)
    }
}
