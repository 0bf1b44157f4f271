/// A snapshot compiled for serving: per listener a route table, backends by index.
/// Immutable and `Sendable`: build it once, swap it atomically, read it without locks.
public struct CompiledConfig: Sendable {
    public let version: String
    /// The snapshot it was compiled from.
    public let source: ProxyConfig
    public let listeners: [CompiledListener]
    /// Every compiled rule of every listener, by `CompiledRule.id`.
    public let rules: [CompiledRule]
    /// `source.backends`, indexed by `CompiledBackendRef.backendIndex` and `CompiledMirror.backendIndex`.
    public let backends: [Backend]
    let backendIndex: [String: Int]
    let listenerIndex: [String: Int]

    /// The index of the backend named `name`.
    public func backendIndex(named name: String) -> Int? { backendIndex[name] }

    /// The listener named `name`: how a bound socket finds its routes in a newly swapped snapshot.
    public func listener(named name: String) -> CompiledListener? { listenerIndex[name].map { listeners[$0] } }
}

public struct CompiledListener: Sendable {
    public let listener: Listener
    public let routeTable: CompiledRouteTable
}

extension ProxyConfig {
    /// Validates the snapshot and compiles it; throws every problem at once when it is invalid,
    /// so a proxy can reject the snapshot and keep serving the previous one.
    public func compile() throws(InvalidConfigError) -> CompiledConfig {
        var problems = validate()
        guard problems.isEmpty else { throw InvalidConfigError(version: version, problems: problems) }
        var backendIndex: [String: Int] = [:]
        for (i, backend) in backends.enumerated() { backendIndex[backend.name] = i }
        var listenerIndex: [String: Int] = [:]
        var compiledListeners: [CompiledListener] = []
        var rules: [CompiledRule] = []
        for (l, listener) in listeners.enumerated() {
            listenerIndex[listener.name] = l
            let virtualHosts = listener.virtualHosts.enumerated().map { v, vh in
                Self.compile(vh, path: "listeners[\(l)].virtualHosts[\(v)]", backendIndex: backendIndex, rules: &rules, problems: &problems)
            }
            compiledListeners.append(CompiledListener(
                listener: listener, routeTable: CompiledRouteTable(virtualHosts: virtualHosts)))
        }
        guard problems.isEmpty else { throw InvalidConfigError(version: version, problems: problems) }
        return CompiledConfig(
            version: version, source: self, listeners: compiledListeners, rules: rules, backends: backends, backendIndex: backendIndex,
            listenerIndex: listenerIndex)
    }

    /// Compiles the routes that attach to one virtual host (their hostnames intersect its own).
    private static func compile(
        _ vh: VirtualHost, path: String, backendIndex: [String: Int], rules: inout [CompiledRule], problems: inout [ConfigProblem]
    ) -> CompiledVirtualHost {
        var routes: [(hostnames: Hostname.Set, matches: [CompiledMatch])] = []
        for (r, route) in vh.routes.enumerated() {
            let hostnames = Hostname.intersection(listener: vh.hostname, route: route.hostnames)
            if case .names(let names) = hostnames, names.isEmpty { continue }  // does not attach here
            let identity = RouteIdentity(route)
            var matches: [CompiledMatch] = []
            for (ruleIndex, rule) in route.rules.enumerated() {
                let compiledRule = CompiledRule(id: rules.count, route: identity, ruleIndex: ruleIndex, rule: rule, backendIndex: backendIndex)
                rules.append(compiledRule)
                for (m, match) in rule.effectiveMatches.enumerated() {
                    do {
                        matches.append(try CompiledMatch(rule: compiledRule, matchIndex: m, match: match))
                    } catch {
                        // validate() already compiled every regex; this is a safety net, not a path.
                        problems.append(ConfigProblem(
                            path: "\(path).routes[\(r)].rules[\(ruleIndex)].matches[\(m)]",
                            reason: .invalid, message: "cannot compile: \(error)"))
                    }
                }
            }
            routes.append((hostnames, matches))
        }
        return CompiledVirtualHost(name: vh.name, hostname: vh.hostname, routes: routes)
    }
}
