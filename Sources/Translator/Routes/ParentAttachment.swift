import APIMachinery
import KubeTypes
import ProxyConfig

/// How one parentRef of a route fared with its Gateway.
struct ParentOutcome {
    let parentRef: GatewayAPI.ParentReference
    let gatewayKey: String
    /// Why the Gateway does not accept the route through this parentRef; nil when it does.
    var refused: Failure?
    /// Set while the Gateway's class is not accepted: the outcome is not decided yet.
    var pending: String?
    /// The listeners (indices into the Gateway's) the route attaches to.
    var listeners: [Int] = []
}

extension Translation {
    /// Attaches a route through each of its parentRefs that names a Gateway of ours
    /// (the rules of the Gateway API's "Attaching Routes to Gateways").
    func attach(_ route: RouteEvaluation) -> [ParentOutcome] {
        var outcomes: [ParentOutcome] = []
        for ref in route.parentRefs where ref.refersToGateway {
            let key = "\(ref.namespace ?? route.namespace)/\(ref.name)"
            guard let gateway = gateways[key] else { continue }
            var outcome = ParentOutcome(parentRef: ref, gatewayKey: key)
            if let waiting = gateway.waitingForClass {
                outcome.pending = waiting
                outcomes.append(outcome)
                continue
            }
            let candidates = gateway.listeners.indices.filter { i in
                let listener = gateway.listeners[i].spec
                return (ref.sectionName == nil || ref.sectionName == listener.name) && (ref.port == nil || ref.port == listener.port)
            }
            guard !candidates.isEmpty else {
                outcome.refused = Failure(reason: RouteReason.noMatchingParent, message: Self.noParentMessage(ref, gateway: key))
                outcomes.append(outcome)
                continue
            }
            let allowed = candidates.filter { admits(gateway.listeners[$0], route: route, gateway: gateway) }
            guard !allowed.isEmpty else {
                outcome.refused = Failure(
                    reason: RouteReason.notAllowedByListeners,
                    message: "no listener of Gateway \(key) (\(candidates.map { gateway.listeners[$0].spec.name }.joined(separator: ", "))) allows \(route.kind)s from namespace \(route.namespace)")
                outcomes.append(outcome)
                continue
            }
            let matching = allowed.filter { i in
                Hostname.intersection(listener: gateway.listeners[i].spec.hostname, route: route.hostnames) != .names([])
            }
            guard !matching.isEmpty else {
                outcome.refused = Failure(
                    reason: RouteReason.noMatchingListenerHostname,
                    message: "hostnames \(route.hostnames.joined(separator: ", ")) match none of the listeners' hostnames (\(allowed.map { gateway.listeners[$0].spec.hostname ?? "any" }.joined(separator: ", ")))")
                outcomes.append(outcome)
                continue
            }
            if route.isEntirelyInvalid {
                outcome.refused = Failure(
                    reason: RouteReason.unsupportedValue,
                    message: "no rule can be served: \(route.droppedRules.joined(separator: "; "))")
                outcomes.append(outcome)
                continue
            }
            outcome.listeners = matching
            outcomes.append(outcome)
        }
        return outcomes
    }

    private static func noParentMessage(_ ref: GatewayAPI.ParentReference, gateway: String) -> String {
        switch (ref.sectionName, ref.port) {
        case let (name?, port?): "Gateway \(gateway) has no listener named \(name) on port \(port)"
        case let (name?, nil): "Gateway \(gateway) has no listener named \(name)"
        case let (nil, port?): "Gateway \(gateway) has no listener on port \(port)"
        case (nil, nil): "Gateway \(gateway) has no listeners"
        }
    }

    /// A listener's `allowedRoutes`: the route's kind, and its namespace (`Same`, `All`, `Selector`).
    private func admits(_ listener: ListenerEvaluation, route: RouteEvaluation, gateway: GatewayEvaluation) -> Bool {
        guard listener.admits(kind: route.kind) else { return false }
        let namespaces = listener.spec.allowedRoutes?.namespaces
        switch namespaces?.effectiveFrom ?? "Same" {
        case "All":
            return true
        case "Same":
            return route.namespace == gateway.namespace
        case "Selector":
            guard let json = namespaces?.selector, let selector = try? LabelSelector(json: json) else { return false }
            return selector.matches(index.labels(ofNamespace: route.namespace))
        default:
            return false
        }
    }

    /// Where an HTTPRoute and a GRPCRoute with intersecting hostnames attach to one listener,
    /// only the older one is accepted (oldest creationTimestamp, then namespace/name): the
    /// Gateway API forbids merging them.
    static func resolveKindConflicts(routes: [RouteEvaluation], outcomes: inout [[ParentOutcome]], gateways: [String: GatewayEvaluation]) {
        struct Entry { var route: Int; var outcome: Int }
        var byListener: [String: [Entry]] = [:]
        for (r, routeOutcomes) in outcomes.enumerated() {
            for (o, outcome) in routeOutcomes.enumerated() where outcome.refused == nil {
                for listener in outcome.listeners { byListener["\(outcome.gatewayKey)#\(listener)", default: []].append(Entry(route: r, outcome: o)) }
            }
        }
        for (slot, entries) in byListener.sorted(by: { $0.key < $1.key }) {
            guard Set(entries.map { routes[$0.route].kind }).count > 1 else { continue }
            let parts = slot.split(separator: "#")
            guard let gateway = gateways[String(parts[0])], let index = Int(parts[1]) else { continue }
            let hostname = gateway.listeners[index].spec.hostname
            let ordered = entries.sorted { a, b in
                let x = routes[a.route], y = routes[b.route]
                return (x.metadata.creationTimestamp ?? "~", x.key, x.kind) < (y.metadata.creationTimestamp ?? "~", y.key, y.kind)
            }
            var winners: [Entry] = []
            for entry in ordered {
                let route = routes[entry.route]
                let mine = Hostname.intersection(listener: hostname, route: route.hostnames)
                let loser = winners.first { winner in
                    routes[winner.route].kind != route.kind
                        && Self.overlaps(mine, Hostname.intersection(listener: hostname, route: routes[winner.route].hostnames))
                }
                guard let loser else {
                    winners.append(entry)
                    continue
                }
                outcomes[entry.route][entry.outcome].listeners.removeAll { $0 == index }
                if outcomes[entry.route][entry.outcome].listeners.isEmpty {
                    let other = routes[loser.route]
                    outcomes[entry.route][entry.outcome].refused = Failure(
                        reason: RouteReason.notAllowedByListeners,
                        message: "listener \(gateway.listeners[index].spec.name) already serves \(other.kind) \(other.key) for the same hostnames; HTTPRoutes and GRPCRoutes cannot share a hostname on one listener, and the older route wins")
                }
            }
        }
    }

    private static func overlaps(_ a: Hostname.Set, _ b: Hostname.Set) -> Bool {
        switch (a, b) {
        case (.any, _), (_, .any): return true
        case let (.names(x), .names(y)):
            return x.contains { h in y.contains { Hostname.intersect(h, $0) != nil } }
        }
    }
}
