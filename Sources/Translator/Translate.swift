import KubeTypes
import ProxyConfig

/// Gateway API (and Ingress) resources in, data-plane configuration and statuses out.
///
/// A pure function of its input: no I/O, no clock, no randomness, and the input is never
/// changed. Bad input is never an error: it becomes a condition on the resource that holds it.
/// Inputs are sorted before use, so the same snapshot always gives the same result.
public enum Translator {
    public static func translate(_ snapshot: ResourceSnapshot) -> TranslationResult {
        var translation = Translation(snapshot: snapshot)
        translation.run()
        return translation.result
    }
}

/// The working state of one translation.
struct Translation {
    let snapshot: ResourceSnapshot
    let index: SnapshotIndex
    var classes: [String: ClassEvaluation] = [:]
    var gateways: [String: GatewayEvaluation] = [:]
    var result = TranslationResult()

    init(snapshot: ResourceSnapshot) {
        self.snapshot = snapshot
        index = SnapshotIndex(snapshot)
    }

    mutating func run() {
        evaluateClasses()
        evaluateGateways()
        let httpRoutes = snapshot.httpRoutes.sorted { $0.metadata.key < $1.metadata.key }.map { convert($0) }
        let grpcRoutes = snapshot.grpcRoutes.sorted { $0.metadata.key < $1.metadata.key }.map { convert($0) }
        let routes = httpRoutes + grpcRoutes
        var outcomes = routes.map { attach($0) }
        Translation.resolveKindConflicts(routes: routes, outcomes: &outcomes, gateways: gateways)
        countAttachments(routes: routes, outcomes: outcomes)
        for (route, routeOutcomes) in zip(routes, outcomes) {
            let parents = routeOutcomes.map { parentStatus(route, $0) }
            if route.kind == "HTTPRoute" {
                result.httpRouteParents[route.key] = parents
            } else {
                result.grpcRouteParents[route.key] = parents
            }
        }
        var candidates: [String: [Int]] = [:]
        for (index, routeOutcomes) in outcomes.enumerated() {
            for key in Set(routeOutcomes.map(\.gatewayKey)) { candidates[key, default: []].append(index) }
        }
        for key in gateways.keys.sorted() {
            guard let gateway = gateways[key] else { continue }
            let config = assembleConfig(gateway, routes: routes, outcomes: outcomes, candidates: candidates[key] ?? [])
            if let config {
                result.proxyConfigs[gateway.proxyKey] = config
                result.infrastructure[gateway.proxyKey] = infrastructurePlan(gateway, config: config)
            }
            result.gatewayStatuses[key] = gatewayStatus(gateway, version: config?.version)
        }
        translateIngresses()
        translateMesh(routes)
    }

    /// `attachedRoutes`: per listener, the routes accepted through it, each counted once.
    private mutating func countAttachments(routes: [RouteEvaluation], outcomes: [[ParentOutcome]]) {
        var attached: [String: Set<String>] = [:]
        for (route, routeOutcomes) in zip(routes, outcomes) {
            for outcome in routeOutcomes where outcome.refused == nil && outcome.pending == nil {
                for listener in outcome.listeners {
                    attached["\(outcome.gatewayKey)#\(listener)", default: []].insert("\(route.kind)/\(route.key)")
                }
            }
        }
        for key in gateways.keys {
            for i in gateways[key]!.listeners.indices {
                gateways[key]!.listeners[i].attachedRoutes = Int32(attached["\(key)#\(i)"]?.count ?? 0)
            }
        }
    }
}
